/**
 * The clinical case: the one document that `argmed decide`, `POST /v1/cases`, the CDS Hooks mapping and
 * the evaluation datasets all produce. Case text is untrusted data: agents pass it to models inside
 * delimited blocks and never follow it as instructions.
 */
import { z } from 'zod';

/** Longest text accepted in one field; a case is a summary, not a record dump. */
export const MAX_TEXT = 8_000;

export const FactSchema = z.union([
  z.string().trim().min(1).max(MAX_TEXT),
  z.object({
    id: z.string().trim().min(1).max(64).optional(),
    text: z.string().trim().min(1).max(MAX_TEXT),
    /** Concept codes the knowledge back-end matches on (e.g. `penicillin-allergy`), lower-case kebab. */
    codes: z.array(z.string().trim().min(1).max(128)).max(32).optional(),
    /** Where the fact came from, e.g. a FHIR reference `AllergyIntolerance/123`. */
    source: z.string().max(512).optional(),
  }),
]);

export const OptionSchema = z.object({
  id: z.string().trim().min(1).max(32),
  text: z.string().trim().min(1).max(MAX_TEXT),
});

/** Per-case settings: which back-end reasons and the budgets of the dialogue (all optional). */
export const CaseSettingsSchema = z
  .object({
    backend: z.enum(['knowledge', 'openai']).optional(),
    maxRounds: z.number().int().min(0).max(32).optional(),
    maxDecisions: z.number().int().min(1).max(26).optional(),
    maxArguments: z.number().int().min(1).max(10_000).optional(),
    maxLlmCalls: z.number().int().min(1).max(100_000).optional(),
    maxTokens: z.number().int().min(1).max(100_000_000).optional(),
    deadlineMs: z.number().int().min(100).max(3_600_000).optional(),
  })
  .strict();

export const CaseSchema = z
  .object({
    id: z.string().trim().min(1).max(128).optional(),
    title: z.string().trim().max(512).optional(),
    facts: z.array(FactSchema).max(500).default([]),
    question: z.string().trim().min(1, 'the case needs a question').max(MAX_TEXT),
    /** `choice`: one of `options` (or options proposed by the generator); `yes-no-maybe`: PubMedQA style. */
    questionType: z.enum(['choice', 'yes-no-maybe']).default('choice'),
    options: z.array(OptionSchema).min(2, 'give at least two options, or leave options out').max(26).optional(),
    /** The clinical goal the decision serves (ASDM's G); derived from the question when absent. */
    goal: z.string().trim().min(1).max(MAX_TEXT).optional(),
    settings: CaseSettingsSchema.optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.options?.forEach((option, index) => {
      if (seen.has(option.id)) {
        ctx.addIssue({ code: 'custom', path: ['options', index, 'id'], message: `duplicate option id "${option.id}"` });
      }
      seen.add(option.id);
    });
  });

export type CaseInput = z.input<typeof CaseSchema>;
export type Case = z.output<typeof CaseSchema>;
export type Fact = z.output<typeof FactSchema>;
export type Option = z.output<typeof OptionSchema>;
export type CaseSettings = z.output<typeof CaseSettingsSchema>;

/** A fact in its normalised form: what agents actually reason over. */
export interface NormalisedFact {
  id: string;
  text: string;
  codes: string[];
  source?: string;
}

/** Gives every fact an id (`f1`, `f2`, ... unless given) and a list of codes. */
export function normaliseFacts(facts: readonly Fact[]): NormalisedFact[] {
  return facts.map((fact, index) => {
    if (typeof fact === 'string') return { id: `f${index + 1}`, text: fact, codes: [] };
    return { id: fact.id ?? `f${index + 1}`, text: fact.text, codes: fact.codes ?? [], source: fact.source };
  });
}

const YES_NO_MAYBE: Option[] = [
  { id: 'yes', text: 'yes' },
  { id: 'no', text: 'no' },
  { id: 'maybe', text: 'maybe' },
];

/** The candidate options of a case: its own, yes/no/maybe for that question type, or none (to be proposed). */
export function candidateOptions(kase: Case): Option[] | undefined {
  if (kase.options) return kase.options;
  if (kase.questionType === 'yes-no-maybe') return YES_NO_MAYBE;
  return undefined;
}
