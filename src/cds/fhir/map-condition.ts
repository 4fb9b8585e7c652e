/**
 * Condition -> a fact for each active one (clinicalStatus active, recurrence or relapse, or absent; never
 * refuted or entered in error), with its concept codes. An unconfirmed one (provisional, differential) is
 * stated as suspected and without codes.
 */
import { conceptsOf, conceptText, rawCodes } from './concept-map.js';
import type { CdsFact, CodeableConcept, Condition } from './types.js';

const ACTIVE = new Set(['active', 'recurrence', 'relapse']);
const NOT_TRUE = new Set(['refuted', 'entered-in-error']);
/** Verification statuses of a suspicion rather than a finding (`unconfirmed` and its two children). */
const UNCONFIRMED = new Set(['unconfirmed', 'provisional', 'differential']);

/** The first code of a status CodeableConcept. */
export function statusCode(status: CodeableConcept | undefined): string | undefined {
  return status?.coding?.find((coding) => coding.code)?.code;
}

/** True when the Condition holds now. */
export function isActiveCondition(condition: Condition): boolean {
  const clinical = statusCode(condition.clinicalStatus);
  const verification = statusCode(condition.verificationStatus);
  if (verification && NOT_TRUE.has(verification)) return false;
  return clinical === undefined || ACTIVE.has(clinical);
}

/**
 * @param condition the resource. @param source its reference. @param index its rank among the facts.
 * @param vocabulary the knowledge base's condition codes, matched in names.
 */
export function conditionFact(
  condition: Condition,
  source: string,
  index: number,
  vocabulary: readonly string[],
): CdsFact | undefined {
  if (!isActiveCondition(condition)) return undefined;
  const name = conceptText(condition.code);
  if (!name) return undefined;
  const details: string[] = [];
  const severity = conceptText(condition.severity);
  if (severity) details.push(`severity ${severity}`);
  const since = condition.onsetDateTime ?? condition.recordedDate;
  if (since) details.push(`since ${since.slice(0, 10)}`);
  const id = `condition-${index + 1}`;
  const verification = statusCode(condition.verificationStatus);
  if (verification !== undefined && UNCONFIRMED.has(verification)) {
    // A suspicion is not a finding: no codes (a coded fact is trusted as stated), and words the back-end
    // reads as uncertain, so what it would rule in or out becomes an open question to confirm.
    const said = [`${verification} diagnosis`, ...details].join(', ');
    return { id, text: `Suspected condition: ${name} (${said}).`, codes: [], source };
  }
  return {
    id,
    text: `Active condition: ${name}${details.length ? ` (${details.join(', ')})` : ''}.`,
    codes: [...conceptsOf('condition', condition.code, vocabulary), ...rawCodes(condition.code)],
    source,
  };
}
