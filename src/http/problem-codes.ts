/**
 * The one table of the service's stable error codes (the HTTP API's and the CDS Hooks routes'), each mapped
 * once to an HTTP status, a title and the slug of its `type` URI. It imports nothing, so the layers below the
 * HTTP edge (the case service) can name their codes from it. Every code is documented in `docs/errors.md`,
 * the CDS codes also in `docs/cds-hooks.md` (tests check both).
 */

/** The stable error codes, with their status, title and type slug. */
export const PROBLEMS = {
  ARGMED_VALIDATION: { status: 400, title: 'The request is not valid', slug: 'validation' },
  ARGMED_MALFORMED_JSON: { status: 400, title: 'The body is not valid JSON', slug: 'malformed-json' },
  ARGMED_INVALID_ENCODING: { status: 400, title: 'The body is not valid UTF-8', slug: 'invalid-encoding' },
  ARGMED_BAD_URL: { status: 400, title: 'The URL cannot be decoded', slug: 'bad-url' },
  ARGMED_BAD_REQUEST: { status: 400, title: 'The HTTP request is malformed', slug: 'bad-request' },
  ARGMED_INVALID_FRAMEWORK: { status: 400, title: 'The framework cannot be read', slug: 'invalid-framework' },
  ARGMED_UNAUTHORIZED: { status: 401, title: 'A valid API key is required', slug: 'unauthorized' },
  ARGMED_NOT_FOUND: { status: 404, title: 'No such route', slug: 'not-found' },
  ARGMED_CASE_NOT_FOUND: { status: 404, title: 'No such case', slug: 'case-not-found' },
  ARGMED_SCHEME_NOT_FOUND: { status: 404, title: 'No such scheme', slug: 'scheme-not-found' },
  ARGMED_REVISION_NOT_FOUND: { status: 404, title: 'No such revision', slug: 'revision-not-found' },
  ARGMED_ARGUMENT_NOT_FOUND: { status: 404, title: 'No such argument', slug: 'argument-not-found' },
  ARGMED_METHOD_NOT_ALLOWED: {
    status: 405,
    title: 'The path does not answer this method',
    slug: 'method-not-allowed',
  },
  ARGMED_GRAPH_NOT_READY: {
    status: 409,
    title: 'The case has no argument graph yet',
    slug: 'graph-not-ready',
  },
  ARGMED_IDEMPOTENCY_CONFLICT: {
    status: 409,
    title: 'The idempotency key was used with another body',
    slug: 'idempotency-conflict',
  },
  ARGMED_CASE_NOT_CONTESTABLE: {
    status: 409,
    title: 'The case cannot be contested now',
    slug: 'case-not-contestable',
  },
  ARGMED_REVISION_CONFLICT: {
    status: 409,
    title: 'Another revision was made first',
    slug: 'revision-conflict',
  },
  ARGMED_NOT_WITHDRAWABLE: {
    status: 409,
    title: 'The argument cannot be withdrawn',
    slug: 'not-withdrawable',
  },
  ARGMED_PRECONDITION_FAILED: {
    status: 412,
    title: 'The case changed since that revision',
    slug: 'precondition-failed',
  },
  ARGMED_REQUEST_TIMEOUT: {
    status: 408,
    title: 'The request took too long to arrive',
    slug: 'request-timeout',
  },
  ARGMED_BODY_TOO_LARGE: { status: 413, title: 'The body is too large', slug: 'body-too-large' },
  ARGMED_URI_TOO_LONG: { status: 414, title: 'A path segment is too long', slug: 'uri-too-long' },
  ARGMED_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Unsupported content type',
    slug: 'unsupported-media-type',
  },
  ARGMED_RATE_LIMITED: { status: 429, title: 'Too many requests', slug: 'rate-limited' },
  ARGMED_HEADERS_TOO_LARGE: {
    status: 431,
    title: 'The request headers are too large',
    slug: 'headers-too-large',
  },
  ARGMED_INTERNAL: { status: 500, title: 'Internal error', slug: 'internal' },
  ARGMED_OVERLOADED: { status: 503, title: 'The service is overloaded', slug: 'overloaded' },
  ARGMED_NOT_READY: { status: 503, title: 'The service is not ready', slug: 'not-ready' },
  ARGMED_STORE_UNAVAILABLE: {
    status: 503,
    title: 'The database is not reachable',
    slug: 'store-unavailable',
  },
  ARGMED_CDS_UNAUTHORIZED: { status: 401, title: 'Unauthorized', slug: 'cds-unauthorized' },
  ARGMED_CDS_UNKNOWN_SERVICE: { status: 404, title: 'No such CDS service', slug: 'cds-unknown-service' },
  ARGMED_CDS_INVALID_REQUEST: {
    status: 400,
    title: 'Invalid CDS Hooks request',
    slug: 'cds-invalid-request',
  },
  ARGMED_CDS_WRONG_HOOK: { status: 400, title: 'Hook does not match the service', slug: 'cds-wrong-hook' },
  ARGMED_CDS_INVALID_FHIR: { status: 400, title: 'Invalid FHIR resource', slug: 'cds-invalid-fhir' },
  ARGMED_CDS_PREFETCH_MISSING: { status: 412, title: 'Prefetch data missing', slug: 'cds-prefetch-missing' },
  ARGMED_CDS_FHIR_TIMEOUT: {
    status: 412,
    title: 'FHIR server did not answer in time',
    slug: 'cds-fhir-timeout',
  },
  ARGMED_CDS_FHIR_UNAVAILABLE: {
    status: 412,
    title: 'FHIR server did not give the data',
    slug: 'cds-fhir-unavailable',
  },
  ARGMED_CDS_UNKNOWN_CARD: { status: 404, title: 'Unknown card', slug: 'cds-unknown-card' },
  ARGMED_CDS_INTERNAL: { status: 500, title: 'Internal error', slug: 'cds-internal' },
} as const satisfies Record<string, { status: number; title: string; slug: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** The codes of the CDS Hooks routes (`ARGMED_CDS_*`). */
export type CdsProblemCode = Extract<ProblemCode, `ARGMED_CDS_${string}`>;

/** Prefix of every problem `type`; the slug after it is stable and documented in docs/errors.md. */
export const PROBLEM_TYPE_BASE = 'urn:argmed:problem:';
