/**
 * Errors of the case service. Codes come from the service's one table of stable codes
 * (src/http/problem-codes.ts, which imports nothing), so the HTTP edge maps them without a second table: a
 * conflict is 409, bad input 400, a closed service 503. Messages are written for the caller and never quote
 * case content.
 */
import type { FieldIssue } from '../../schemes/field-issues.js';
import type { ProblemCode } from '../http/problem-codes.js';

export type CaseServiceErrorCode = Extract<
  ProblemCode,
  /** The idempotency key was used before with another body. */
  | 'ARGMED_IDEMPOTENCY_CONFLICT'
  /** A bad case, cursor or time filter; the message names the field. */
  | 'ARGMED_VALIDATION'
  /** The service is shutting down and takes no new cases. */
  | 'ARGMED_NOT_READY'
  /** No case has this id. */
  | 'ARGMED_CASE_NOT_FOUND'
  /** A contribution while the case is still deliberating, or to a failed case (no graph to argue with). */
  | 'ARGMED_CASE_NOT_CONTESTABLE'
  /** `If-Match` names a revision that is no longer the latest. */
  | 'ARGMED_PRECONDITION_FAILED'
  /** Another contribution based on the same revision was stored first. */
  | 'ARGMED_REVISION_CONFLICT'
  /** No revision has this number. */
  | 'ARGMED_REVISION_NOT_FOUND'
  /** A withdrawal names an argument the current revision does not hold. */
  | 'ARGMED_ARGUMENT_NOT_FOUND'
  /** A withdrawal names an argument of the deliberation (those are kept and can only be attacked). */
  | 'ARGMED_NOT_WITHDRAWABLE'
>;

/** An error of the case service, with a stable code. */
export class CaseServiceError extends Error {
  constructor(
    readonly code: CaseServiceErrorCode,
    message: string,
    /** For `ARGMED_VALIDATION` of a case: the failing fields. */
    readonly issues?: readonly FieldIssue[],
  ) {
    super(message);
    this.name = 'CaseServiceError';
  }
}
