/**
 * Errors of the case service. Codes come from the service's one table of stable codes
 * (src/http/problem-codes.ts, which imports nothing), so the HTTP edge maps them without a second table: a
 * conflict is 409, bad input 400, a closed service 503. Messages are written for the caller and never quote
 * case content.
 */
import type { ProblemCode } from '../http/problem-codes.js';

export type CaseServiceErrorCode = Extract<
  ProblemCode,
  /** The idempotency key was used before with another body. */
  | 'ARGMED_IDEMPOTENCY_CONFLICT'
  /** A bad case, cursor or time filter; the message names the field. */
  | 'ARGMED_VALIDATION'
  /** The service is shutting down and takes no new cases. */
  | 'ARGMED_NOT_READY'
>;

/** An error of the case service, with a stable code. */
export class CaseServiceError extends Error {
  constructor(
    readonly code: CaseServiceErrorCode,
    message: string,
    /** For `ARGMED_VALIDATION` of a case: the failing fields. */
    readonly issues?: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'CaseServiceError';
  }
}
