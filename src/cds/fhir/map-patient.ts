/**
 * Patient -> one fact: age in years (from birthDate, at the time of the call) and administrative sex, with
 * the concept codes rules use (`female`/`male`, `child` under 18, `adult`, `older-adult` from 65).
 */
import type { CdsFact, Patient } from './types.js';

/** Whole years between a FHIR birthDate (YYYY[-MM[-DD]]) and a moment; undefined for a future date. */
export function ageInYears(birthDate: string, nowMs: number): number | undefined {
  const [year, month = 1, day = 1] = birthDate.split('-').map(Number);
  const now = new Date(nowMs);
  let age = now.getUTCFullYear() - year;
  const beforeBirthday =
    now.getUTCMonth() + 1 < month || (now.getUTCMonth() + 1 === month && now.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age >= 0 && age < 150 ? age : undefined;
}

/**
 * @param patient the Patient resource, or undefined when the client has none.
 * @param source its reference (`Patient/123`).
 * @param nowMs the time of the call.
 */
export function patientFact(
  patient: Patient | undefined,
  source: string,
  nowMs: number,
): CdsFact | undefined {
  if (!patient) return undefined;
  const codes: string[] = [];
  const parts: string[] = [];
  const age = patient.birthDate ? ageInYears(patient.birthDate, nowMs) : undefined;
  if (age !== undefined) {
    parts.push(`${age}-year-old`);
    codes.push(age < 18 ? 'child' : age >= 65 ? 'older-adult' : 'adult');
  }
  if (patient.gender === 'female' || patient.gender === 'male') {
    parts.push(patient.gender);
    codes.push(patient.gender);
  } else if (patient.gender) {
    parts.push(`sex recorded as ${patient.gender}`);
  }
  if (parts.length === 0) return undefined;
  return { id: 'patient', text: `Patient: ${parts.join(' ')}.`, codes, source };
}
