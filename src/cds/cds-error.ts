/**
 * The error of the CDS Hooks layer: a stable code from the service's one table (`src/http/problem-codes.ts`,
 * the `ARGMED_CDS_*` rows) carried across the boundary, with the request member at fault when there is one.
 * Problem details (RFC 9457) are built from it in `send-problem.ts`.
 */
import { type CdsProblemCode, PROBLEMS } from '../http/problem-codes.js';

/** An error with a stable code; `field` names the request member at fault, when one is. */
export class CdsError extends Error {
  readonly status: number;
  constructor(
    readonly code: CdsProblemCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CdsError';
    this.status = PROBLEMS[code].status;
  }
}
