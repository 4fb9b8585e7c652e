/**
 * The CDS services argmed offers, one per hook, with the prefetch templates they ask for. The same templates
 * drive the FHIR fetch when a client sends no prefetch, so the service never reads more than it announced.
 */
import type { HookName, ServiceDescriptor } from './types.js';

/** Prefetch keys and templates (CDS Hooks prefetch tokens). Every key is required to argue safely. */
export const PREFETCH_TEMPLATES = {
  patient: 'Patient/{{context.patientId}}',
  conditions: 'Condition?patient={{context.patientId}}',
  medications: 'MedicationRequest?patient={{context.patientId}}',
  labs: 'Observation?patient={{context.patientId}}&category=laboratory',
  allergies: 'AllergyIntolerance?patient={{context.patientId}}',
} as const;
export type PrefetchKey = keyof typeof PREFETCH_TEMPLATES;

/** Default time budget of a service call: an EHR typically waits about 500 ms. */
export const DEFAULT_TIME_BUDGET_MS = 450;

/** The extension member under which discovery advertises the time budget. */
export const TIME_BUDGET_EXTENSION = 'org.argmed.timeBudgetMs';

/** A service as argmed runs it. */
export interface CdsService {
  id: string;
  hook: HookName;
  title: string;
  description: string;
}

export const CDS_SERVICES: readonly CdsService[] = [
  {
    id: 'argmed-patient-view',
    hook: 'patient-view',
    title: 'argmed: argued treatment review',
    description:
      'When a chart opens, argues the treatment of each active condition the knowledge base covers against the ' +
      "patient's allergies, conditions, medications and recent labs, and flags current medications it defeats.",
  },
  {
    id: 'argmed-order-select',
    hook: 'order-select',
    title: 'argmed: argued check of the selected order',
    description:
      'When a medication order is selected, argues it against its alternatives for the same indication and ' +
      "the patient's allergies, contraindications and labs; suggests the better-justified alternative.",
  },
  {
    id: 'argmed-order-sign',
    hook: 'order-sign',
    title: 'argmed: should this order be signed?',
    description:
      'Before draft medication orders are signed, argues each against the alternatives the knowledge base names ' +
      'for its indication; a card explains the decision and links to the argument graph.',
  },
];

/** Finds a service by id; undefined when argmed has none of that id. */
export function findService(id: string): CdsService | undefined {
  return CDS_SERVICES.find((service) => service.id === id);
}

/**
 * The discovery document entries.
 * @param timeBudgetMs the time a call may take, advertised in `usageRequirements` and an extension member.
 */
export function serviceDescriptors(timeBudgetMs: number): ServiceDescriptor[] {
  const usageRequirements =
    `Needs every prefetch key, or a fhirServer to read what is missing (with fhirAuthorization when it needs ` +
    'a token); 412 when neither gives the data. ' +
    `Answers within ${timeBudgetMs} ms with the knowledge back-end. Calls carry a signed JWT (ES/RS/PS/EdDSA) ` +
    'from an allowlisted issuer. Decision support only: every card explains its argument and can be overridden.';
  return CDS_SERVICES.map((service) => ({
    hook: service.hook,
    title: service.title,
    description: service.description,
    id: service.id,
    prefetch: { ...PREFETCH_TEMPLATES },
    usageRequirements,
    extension: { [TIME_BUDGET_EXTENSION]: timeBudgetMs },
  }));
}
