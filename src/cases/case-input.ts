/**
 * Checks what crosses the case service's edges besides the case itself (parsed once, by the caller, at the
 * HTTP or CLI edge): the case as read back from the store, and the time filters of a listing.
 */
import { type Case, CaseSchema } from '../../agents/case.js';
import { fieldIssueOf } from '../../schemes/field-issues.js';
import { CaseServiceError } from './case-service-error.js';

/**
 * The stored case of row `caseId`, checked against the case schema rather than cast: a row written by
 * another version or edited by hand is refused here, not deep inside a deliberation.
 * @throws Error naming the case and the failing fields (never their content)
 */
export function readStoredCase(text: string, caseId: string): Case {
  const parsed = CaseSchema.safeParse(JSON.parse(text));
  if (parsed.success) return parsed.data;
  // Paths only: this error may reach a log, and a message can quote what the row holds (an unknown key).
  const fields = parsed.error.issues.map((issue) => fieldIssueOf(issue, 'case').path).join(', ');
  throw new Error(`argmed/cases: the stored case ${caseId} does not match the case schema (${fields})`);
}

/**
 * An ISO 8601 time (any offset) as the stored form (UTC with milliseconds), so it compares as text.
 * @throws CaseServiceError `ARGMED_VALIDATION` naming `field`.
 */
export function normaliseTime(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new CaseServiceError('ARGMED_VALIDATION', `${field}: not an ISO 8601 date-time`);
  return new Date(time).toISOString();
}
