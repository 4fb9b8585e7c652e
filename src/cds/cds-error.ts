/**
 * Errors of the CDS Hooks layer: one table of stable codes with their HTTP status and title, and the error
 * class that carries a code across the boundary. Problem details (RFC 9457) are built from it in
 * `send-problem.ts`. A test fails when a code is missing from docs/cds-hooks.md.
 */

export const CDS_ERRORS = {
  ARGMED_CDS_UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  ARGMED_CDS_UNKNOWN_SERVICE: { status: 404, title: 'No such CDS service' },
  ARGMED_CDS_INVALID_REQUEST: { status: 400, title: 'Invalid CDS Hooks request' },
  ARGMED_CDS_WRONG_HOOK: { status: 400, title: 'Hook does not match the service' },
  ARGMED_CDS_INVALID_FHIR: { status: 400, title: 'Invalid FHIR resource' },
  ARGMED_CDS_PREFETCH_MISSING: { status: 412, title: 'Prefetch data missing' },
  ARGMED_CDS_FHIR_TIMEOUT: { status: 412, title: 'FHIR server did not answer in time' },
  ARGMED_CDS_FHIR_UNAVAILABLE: { status: 412, title: 'FHIR server did not give the data' },
  ARGMED_CDS_UNKNOWN_CARD: { status: 404, title: 'Unknown card' },
  ARGMED_CDS_INTERNAL: { status: 500, title: 'Internal error' },
} as const;

export type CdsErrorCode = keyof typeof CDS_ERRORS;

/** An error with a stable code; `field` names the request member at fault, when one is. */
export class CdsError extends Error {
  readonly status: number;
  constructor(
    readonly code: CdsErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CdsError';
    this.status = CDS_ERRORS[code].status;
  }
}
