/**
 * Reads the whole FHIR picture of a call (prefetch plus draft orders) into case facts with provenance, and
 * keeps the structured parts the question is built from: active conditions, current medications and the
 * draft medication orders under review.
 */
import type { CdsKnowledge, FhirResource, HookRequest } from '../types.js';
import { CdsError } from '../cds-error.js';
import { conceptsOf, conceptText } from './concept-map.js';
import { allergyFact } from './map-allergy.js';
import { conditionFact } from './map-condition.js';
import {
  currentMedicationFact,
  draftOrderFact,
  medicationConcepts,
  medicationName,
  reasonConcepts,
} from './map-medication-request.js';
import { labFacts } from './map-observation.js';
import { ageInYears, patientFact } from './map-patient.js';
import { referenceOf, resourcesOf } from './resources-of.js';
import {
  AllergyIntoleranceSchema,
  type CdsFact,
  ConditionSchema,
  type MedicationRequest,
  MedicationRequestSchema,
  ObservationSchema,
  PatientSchema,
} from './types.js';

/** A draft medication order under review. */
export interface DraftOrder {
  request: MedicationRequest;
  /** `MedicationRequest/<id>`, or its place in the request when it has no id. */
  source: string;
  name: string;
  /** The drug's concept codes (empty when argmed does not recognise it). */
  concepts: string[];
  /** Indications the order states, as concept codes. */
  reasons: string[];
}

export interface PatientRecord {
  facts: CdsFact[];
  /** Parts of the record the client did not give (a prefetch key missing or null): cards say so. */
  unavailable: Array<'allergies'>;
  conditions: Array<{ name: string; codes: string[]; source: string }>;
  currentMedications: Array<{ name: string; concepts: string[]; source: string }>;
  draftOrders: DraftOrder[];
}

type PrefetchLike = Partial<
  Record<'patient' | 'conditions' | 'medications' | 'labs' | 'allergies', FhirResource | null>
>;

/**
 * @param request the validated hook request (draft orders come from its context).
 * @param data the resolved prefetch.
 * @param knowledge for the vocabulary matched in names.
 * @param nowMs the time of the call (ages, recency of labs).
 * @throws CdsError `ARGMED_CDS_INVALID_FHIR` naming a resource member that breaks FHIR R4.
 */
export function readPatientRecord(
  request: HookRequest,
  data: PrefetchLike,
  knowledge: CdsKnowledge,
  nowMs: number,
): PatientRecord {
  const { treatments, indications } = knowledge.vocabulary();
  const facts: CdsFact[] = [];
  const patient = resourcesOf(data.patient, 'Patient', PatientSchema, 'prefetch.patient')[0];
  if (
    patient?.resource.birthDate !== undefined &&
    ageInYears(patient.resource.birthDate, nowMs) === undefined
  ) {
    // A future birthDate (or one more than 150 years ago) was silently dropped, leaving the age unknown unnoticed.
    throw new CdsError(
      'ARGMED_CDS_INVALID_FHIR',
      `${patient.path}.birthDate: ${patient.resource.birthDate} is in the future or more than 150 years ago`,
      `${patient.path}.birthDate`,
    );
  }
  const demographic = patient
    ? patientFact(patient.resource, referenceOf(patient.resource, patient.path), nowMs)
    : undefined;
  if (demographic) facts.push(demographic);

  const conditions: PatientRecord['conditions'] = [];
  resourcesOf(data.conditions, 'Condition', ConditionSchema, 'prefetch.conditions').forEach(
    ({ resource, path }) => {
      const fact = conditionFact(resource, referenceOf(resource, path), conditions.length, indications);
      if (!fact) return;
      facts.push(fact);
      conditions.push({
        name: conceptText(resource.code) ?? fact.text,
        codes: fact.codes,
        source: fact.source,
      });
    },
  );

  let allergies = 0;
  const allergyResources = resourcesOf(
    data.allergies,
    'AllergyIntolerance',
    AllergyIntoleranceSchema,
    'prefetch.allergies',
  );
  allergyResources.forEach(
    ({ resource, path }) => {
      const fact = allergyFact(resource, referenceOf(resource, path), allergies);
      if (fact) {
        facts.push(fact);
        allergies += 1;
      }
    },
  );

  const currentMedications: PatientRecord['currentMedications'] = [];
  resourcesOf(data.medications, 'MedicationRequest', MedicationRequestSchema, 'prefetch.medications').forEach(
    ({ resource, path }) => {
      const fact = currentMedicationFact(
        resource,
        referenceOf(resource, path),
        currentMedications.length,
        treatments,
      );
      if (!fact) return;
      facts.push(fact);
      currentMedications.push({
        name: medicationName(resource) ?? fact.text,
        concepts: fact.codes,
        source: fact.source,
      });
    },
  );

  const labs = resourcesOf(data.labs, 'Observation', ObservationSchema, 'prefetch.labs').map(
    ({ resource, path }) => {
      // Every test argmed reads is a concentration, a rate or a ratio: a negative value (an eGFR of -38 was
      // read as severe renal impairment) is a broken record, not a finding.
      const value = resource.valueQuantity?.value;
      if (value !== undefined && value < 0 && conceptsOf('lab', resource.code).length > 0) {
        throw new CdsError(
          'ARGMED_CDS_INVALID_FHIR',
          `${path}.valueQuantity.value: ${value} is not a possible value of this test (it cannot be negative)`,
          `${path}.valueQuantity.value`,
        );
      }
      return { resource, source: referenceOf(resource, path) };
    },
  );
  facts.push(...labFacts(labs, nowMs));

  const draftOrders = readDraftOrders(request, treatments, indications);
  draftOrders.forEach((order, index) => {
    const fact = draftOrderFact(order.request, order.source, index, indications);
    if (fact) facts.push(fact);
  });
  // Without the allergy list the absence of allergy facts means nothing: the cards must not read it as "none".
  // A partial list (pages argmed does not follow) is no better.
  const unavailable: PatientRecord['unavailable'] =
    data.allergies === null || data.allergies === undefined || isPartialBundle(data.allergies, allergyResources.length)
      ? ['allergies']
      : [];
  return { facts, conditions, currentMedications, draftOrders, unavailable };
}

/** The draft medication orders of order-select (only the selected ones) and order-sign. */
function readDraftOrders(
  request: HookRequest,
  treatments: readonly string[],
  indications: readonly string[],
): DraftOrder[] {
  if (request.hook === 'patient-view') return [];
  const bundle = request.context.draftOrders as FhirResource;
  const selected = request.hook === 'order-select' ? new Set(request.context.selections) : undefined;
  // Draft orders mix types by design (a ServiceRequest beside the medications): only medications are argued.
  return resourcesOf(bundle, 'MedicationRequest', MedicationRequestSchema, 'context.draftOrders', 'skip')
    .map(({ resource, path }) => ({ resource, source: referenceOf(resource, path) }))
    .filter(({ source }) => !selected || selected.has(source))
    .map(({ resource, source }) => ({
      request: resource,
      source,
      name: medicationName(resource) ?? 'the ordered medication',
      concepts: medicationConcepts(resource, treatments),
      reasons: reasonConcepts(resource, indications),
    }));
}

/**
 * Whether a search Bundle holds only part of its results: a `next` link (pagination is not followed), or a
 * `total` above the `matched` resources read from it.
 */
function isPartialBundle(value: FhirResource, matched: number): boolean {
  if (value.resourceType !== 'Bundle') return false;
  const { link, total } = value as { link?: unknown; total?: unknown };
  const next =
    Array.isArray(link) && link.some((l) => (l as { relation?: unknown } | null)?.relation === 'next');
  return next || (typeof total === 'number' && total > matched);
}
