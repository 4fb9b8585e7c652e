/**
 * MedicationRequest -> facts. Active prescriptions become "current medication" facts coded with the drug's
 * concept (`warfarin`), so interaction and contraindication rules can see them. Draft orders (the subject
 * of order-select and order-sign) become "draft order" facts coded with the indication the order gives
 * (`reasonCode`), since that is a fact about the patient; the ordered drug itself is an answer option,
 * not a fact.
 */
import { conceptsOf, conceptText, rawCodes } from './concept-map.js';
import type { CdsFact, CodeableConcept, MedicationRequest } from './types.js';

const CURRENT_STATUSES = new Set(['active', 'on-hold']);

/** The readable name of the ordered medication. */
export function medicationName(request: MedicationRequest): string | undefined {
  return conceptText(request.medicationCodeableConcept) ?? request.medicationReference?.display?.trim();
}

/** The medication as a CodeableConcept (a reference's display stands in for text). */
export function medicationConcept(request: MedicationRequest): CodeableConcept | undefined {
  if (request.medicationCodeableConcept) return request.medicationCodeableConcept;
  const display = request.medicationReference?.display;
  return display ? { text: display } : undefined;
}

/** Knowledge-base concept codes of the medication. @param vocabulary the knowledge base's treatment codes. */
export function medicationConcepts(request: MedicationRequest, vocabulary: readonly string[]): string[] {
  return conceptsOf('medication', medicationConcept(request), vocabulary);
}

/** Knowledge-base concept codes of the order's stated indications. */
export function reasonConcepts(request: MedicationRequest, vocabulary: readonly string[]): string[] {
  return [
    ...new Set((request.reasonCode ?? []).flatMap((reason) => conceptsOf('condition', reason, vocabulary))),
  ];
}

function dosage(request: MedicationRequest): string {
  const text = (request.dosageInstruction ?? []).map((d) => d.text?.trim()).filter(Boolean);
  return text.length > 0 ? `, ${text.join('; ')}` : '';
}

/** A current prescription as a fact; undefined unless active or on hold. */
export function currentMedicationFact(
  request: MedicationRequest,
  source: string,
  index: number,
  vocabulary: readonly string[],
): CdsFact | undefined {
  if (!CURRENT_STATUSES.has(request.status) || request.intent === 'proposal') return undefined;
  const name = medicationName(request);
  if (!name) return undefined;
  const held = request.status === 'on-hold' ? ' (on hold)' : '';
  return {
    id: `medication-${index + 1}`,
    text: `Current medication: ${name}${dosage(request)}${held}.`,
    codes: [...medicationConcepts(request, vocabulary), ...rawCodes(request.medicationCodeableConcept)],
    source,
  };
}

/** A draft order as a fact, with the indication it states. */
export function draftOrderFact(
  request: MedicationRequest,
  source: string,
  index: number,
  conditionVocabulary: readonly string[],
): CdsFact | undefined {
  const name = medicationName(request);
  if (!name) return undefined;
  const reasons = (request.reasonCode ?? []).map((reason) => conceptText(reason)).filter(Boolean);
  const why = reasons.length > 0 ? ` for ${reasons.join(', ')}` : '';
  return {
    id: `order-${index + 1}`,
    text: `Draft order (not yet signed): ${name}${dosage(request)}${why}.`,
    codes: reasonConcepts(request, conditionVocabulary),
    source,
  };
}
