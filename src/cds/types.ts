/**
 * Contracts of the CDS Hooks layer (CDS Hooks 2.0, https://cds-hooks.hl7.org/2.0/): the wire formats of
 * discovery, service calls, cards and feedback as zod schemas (types derived from them), and the options
 * of the plugin. Unknown members are kept (`looseObject`) where the spec allows extensions.
 */
import { z } from 'zod';
import { cleanString } from '../../agents/case.js';

/** The hooks argmed answers. */
export const HOOKS = ['patient-view', 'order-select', 'order-sign'] as const;
export type HookName = (typeof HOOKS)[number];

const NonEmpty = z.string().trim().min(1);

/** CDS Hooks Coding: `code` and `system` required, `display` required for override reasons we send. */
export const CodingSchema = z.object({
  code: NonEmpty.max(256),
  system: NonEmpty.max(1024),
  display: z.string().min(1).max(1024).optional(),
});
export type Coding = z.output<typeof CodingSchema>;

/** A FHIR resource as it travels in a hook: only `resourceType` is checked here; `fhir/` checks the rest. */
export const FhirResourceSchema = z.looseObject({
  resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/, 'a FHIR resource type such as "Patient"'),
});
export type FhirResource = z.output<typeof FhirResourceSchema>;

/** A FHIR Bundle holding the draft orders of order-select / order-sign. */
export const DraftOrdersSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z
    .array(z.looseObject({ resource: FhirResourceSchema.optional() }))
    .max(200)
    .optional(),
});

const BaseContext = {
  userId: NonEmpty.max(256),
  patientId: NonEmpty.max(128).regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id (letters, digits, "-" and ".")'),
  encounterId: NonEmpty.max(128).optional(),
};

export const PatientViewContextSchema = z.looseObject({ ...BaseContext });
export const OrderSelectContextSchema = z.looseObject({
  ...BaseContext,
  selections: z.array(NonEmpty.max(256)).min(1).max(200),
  draftOrders: DraftOrdersSchema,
});
export const OrderSignContextSchema = z.looseObject({ ...BaseContext, draftOrders: DraftOrdersSchema });

/** The access token a CDS client may hand over for its FHIR server. */
export const FhirAuthorizationSchema = z.looseObject({
  access_token: NonEmpty.max(8192),
  token_type: z.string().regex(/^bearer$/i, 'must be "Bearer"'),
  expires_in: z.number().int().nonnegative(),
  scope: z.string().max(4096),
  subject: z.string().max(1024),
  patient: z.string().max(128).optional(),
});

/** Prefetched data: each key a FHIR resource (often a searchset Bundle), or null when the client has none. */
export const PrefetchSchema = z.record(z.string().max(128), FhirResourceSchema.nullable());

const RequestBase = {
  hookInstance: z.guid('hookInstance must be a UUID'),
  fhirServer: z
    .url({ protocol: /^https?$/, error: 'fhirServer must be an http(s) URL' })
    .max(2048)
    .optional(),
  fhirAuthorization: FhirAuthorizationSchema.optional(),
  prefetch: PrefetchSchema.optional(),
  extension: z.looseObject({}).optional(),
};

/** A service call, checked against the context of its hook. */
export const HookRequestSchema = z
  .discriminatedUnion('hook', [
    z.looseObject({ hook: z.literal('patient-view'), context: PatientViewContextSchema, ...RequestBase }),
    z.looseObject({ hook: z.literal('order-select'), context: OrderSelectContextSchema, ...RequestBase }),
    z.looseObject({ hook: z.literal('order-sign'), context: OrderSignContextSchema, ...RequestBase }),
  ])
  .superRefine((request, ctx) => {
    if (request.fhirAuthorization && !request.fhirServer) {
      ctx.addIssue({
        code: 'custom',
        path: ['fhirServer'],
        message: 'fhirServer is required when fhirAuthorization is given',
      });
    }
  });
export type HookRequest = z.output<typeof HookRequestSchema>;

/** One entry of the discovery document. */
export const ServiceDescriptorSchema = z.object({
  hook: z.string(),
  title: z.string().optional(),
  description: z.string(),
  id: z.string(),
  prefetch: z.record(z.string(), z.string()).optional(),
  usageRequirements: z.string().optional(),
  /** Extension members: argmed advertises its time budget here (`org.argmed.timeBudgetMs`). */
  extension: z.record(z.string(), z.unknown()).optional(),
});
export type ServiceDescriptor = z.output<typeof ServiceDescriptorSchema>;

export const DiscoveryResponseSchema = z.object({ services: z.array(ServiceDescriptorSchema) });
export type DiscoveryResponse = z.output<typeof DiscoveryResponseSchema>;

const ActionShape = z.object({
  type: z.enum(['create', 'update', 'delete']),
  description: z.string().min(1),
  resource: FhirResourceSchema.optional(),
  resourceId: z.string().min(1).optional(),
});
const needsResource = {
  check: (action: { type: string; resource?: unknown }) =>
    action.type === 'delete' || action.resource !== undefined,
  params: { message: 'create and update actions carry a resource', path: ['resource'] },
};

/** An action of a suggestion: `description` required. */
export const ActionSchema = ActionShape.refine(needsResource.check, needsResource.params);
/** A system action: an action whose `description` is optional. */
export const SystemActionSchema = ActionShape.partial({ description: true }).refine(
  needsResource.check,
  needsResource.params,
);
export type Action = z.output<typeof ActionSchema>;

export const SuggestionSchema = z.object({
  label: z.string().min(1),
  uuid: z.string().optional(),
  isRecommended: z.boolean().optional(),
  actions: z.array(ActionSchema).min(1).optional(),
});
export type Suggestion = z.output<typeof SuggestionSchema>;

export const LinkSchema = z.object({
  label: z.string().min(1),
  url: z.url(),
  type: z.enum(['absolute', 'smart']),
  appContext: z.string().optional(),
  autolaunchable: z.boolean().optional(),
});
export type Link = z.output<typeof LinkSchema>;

export const CardSchema = z
  .object({
    uuid: z.string().optional(),
    summary: z.string().min(1).max(139, 'a card summary is shorter than 140 characters'),
    detail: z.string().min(1).optional(),
    indicator: z.enum(['info', 'warning', 'critical']),
    source: z.object({
      label: z.string().min(1),
      url: z.url().optional(),
      icon: z.url().optional(),
      topic: CodingSchema.optional(),
    }),
    suggestions: z.array(SuggestionSchema).min(1).optional(),
    selectionBehavior: z.enum(['at-most-one', 'any']).optional(),
    overrideReasons: z
      .array(CodingSchema.required({ display: true }))
      .min(1)
      .optional(),
    links: z.array(LinkSchema).min(1).optional(),
  })
  .refine((card) => card.suggestions === undefined || card.selectionBehavior !== undefined, {
    message: 'a card with suggestions states its selectionBehavior',
    path: ['selectionBehavior'],
  });
export type Card = z.output<typeof CardSchema>;

export const HookResponseSchema = z.object({
  cards: z.array(CardSchema),
  systemActions: z.array(SystemActionSchema).min(1).optional(),
});
export type HookResponse = z.output<typeof HookResponseSchema>;

export const FeedbackItemSchema = z
  .looseObject({
    card: NonEmpty.max(128),
    outcome: z.enum(['accepted', 'overridden']),
    acceptedSuggestions: z
      .array(z.looseObject({ id: NonEmpty.max(128) }))
      .min(1)
      .optional(),
    // The clinician's words become an argument of the case: clinical text, so no control characters.
    overrideReason: z
      .looseObject({
        reason: CodingSchema.extend({ display: cleanString().min(1).max(1024).optional() }).optional(),
        userComment: cleanString().max(4000).optional(),
      })
      .optional(),
    outcomeTimestamp: z.iso.datetime({
      offset: true,
      error: 'outcomeTimestamp must be an ISO 8601 date-time',
    }),
  })
  .superRefine((item, ctx) => {
    if (item.outcome === 'accepted' && !item.acceptedSuggestions) {
      ctx.addIssue({
        code: 'custom',
        path: ['acceptedSuggestions'],
        message: 'an accepted outcome lists its acceptedSuggestions',
      });
    }
  });
export const FeedbackRequestSchema = z.looseObject({ feedback: z.array(FeedbackItemSchema).min(1).max(100) });
export type FeedbackRequest = z.output<typeof FeedbackRequestSchema>;

export const FeedbackResponseSchema = z.object({ stored: z.number().int() });

/** A treatment the knowledge base names, as an answer option. */
export interface KnownTreatment {
  /** The knowledge base's treatment id (e.g. `amoxicillin`). */
  id: string;
  name: string;
}

/** An indication rule of a treatment: the concepts it requires and the goal it serves. */
export interface KnownIndication {
  treatment: string;
  when: readonly string[];
  goal: string;
}

/**
 * What the CDS layer needs from the knowledge base to build a question: which concepts a fact states,
 * which treatment an order names, and which treatments are indicated for the same problem. Built from
 * the knowledge back-end's index by `knowledgeLookup`.
 */
export interface CdsKnowledge {
  /**
   * Ids of the concepts questions are built from (the conditions indications require) that a fact states,
   * by code, phrase or measured value, as the knowledge back-end matches them.
   */
  conceptsOf(fact: { id: string; text: string; codes: string[] }): string[];
  /** The treatment a medication denotes: by a concept code equal to a treatment id, else by its name. */
  treatmentFor(codes: readonly string[], name: string): KnownTreatment | undefined;
  /** The indication rules of a treatment. */
  indicationsOf(treatment: string): KnownIndication[];
  /** Treatments with an indication rule that requires the concept, in knowledge-base order. */
  treatmentsFor(concept: string): KnownTreatment[];
  /** True when the knowledge base rates the effect of the treatment (or its class) a contraindication. */
  isContraindication(treatment: string, effect: string): boolean;
  /** A readable label of a concept or treatment id (the id itself when unknown). */
  label(id: string): string;
  /** Every treatment id, and every concept id an indication requires (matched in FHIR names). */
  vocabulary(): { treatments: readonly string[]; indications: readonly string[] };
}

/** One issuer allowed to call the services (parsed from `ARGMED_CDS_ISSUERS`). */
export const IssuerSchema = z
  .object({
    iss: NonEmpty.max(1024),
    jwksUrl: z.url({ protocol: /^https?$/ }).optional(),
    jwks: z.object({ keys: z.array(z.looseObject({ kty: z.string() })).min(1) }).optional(),
  })
  .strict()
  .refine((issuer) => (issuer.jwksUrl === undefined) !== (issuer.jwks === undefined), {
    message: 'give exactly one of jwksUrl and jwks',
  });
export const IssuersSchema = z.array(IssuerSchema).max(100);
export type Issuer = z.output<typeof IssuerSchema>;
