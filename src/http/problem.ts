/**
 * RFC 9457 problem details: the functions that turn any error into `application/problem+json`, over the one
 * table of stable codes (`problem-codes.ts`). Problem bodies never carry stack traces or request bodies (the
 * body may hold patient content).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type FieldIssue, fieldIssueOf, issueMessage, issuesText } from '../../schemes/field-issues.js';
import { isStoreUnavailable } from '../store/store-unavailable.js';
import { PROBLEM_TYPE_BASE, PROBLEMS, type ProblemCode } from './problem-codes.js';

/** Seconds a client is told to wait after `ARGMED_STORE_UNAVAILABLE` (a database restart takes a few). */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** The problem+json body the service answers with. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ProblemCode;
  requestId: string;
  errors?: FieldIssue[];
  [extension: string]: unknown;
}

/** An error that crosses the HTTP boundary: a stable code, a detail for the caller, optional extensions. */
export class ApiError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(`argmed/api: ${code}: ${detail}`);
    this.name = 'ApiError';
    this.statusCode = PROBLEMS[code].status;
  }
}

/**
 * The ApiError of one field at fault: `detail` words it (`body/rater: give your name`), `errors` lists it.
 * @example throw fieldError('ARGMED_VALIDATION', 'body/rater', 'give your name');
 */
export function fieldError(code: ProblemCode, path: string, message: string): ApiError {
  const issue = { path, message };
  return new ApiError(code, issuesText([issue]), { errors: [issue] });
}

/** The `type` URI of a code. */
export function problemType(code: ProblemCode): string {
  return PROBLEM_TYPE_BASE + PROBLEMS[code].slug;
}

/** Builds the problem body of a code for a request. */
export function problemFor(
  request: FastifyRequest,
  code: ProblemCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  const entry = PROBLEMS[code];
  return {
    ...extensions,
    type: problemType(code),
    title: entry.title,
    status: entry.status,
    detail,
    instance: request.url.split('?')[0],
    code,
    requestId: String(request.id),
  };
}

/** Sends a problem (status, `application/problem+json`). */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ProblemCode,
  detail: string,
  extensions: Record<string, unknown> = {},
): FastifyReply {
  return reply
    .code(PROBLEMS[code].status)
    .type('application/problem+json; charset=utf-8')
    .send(problemFor(request, code, detail, extensions));
}

/** Longest path parameter fastify's router accepts (its `maxParamLength`); set by the app. */
export const MAX_PARAM_LENGTH = 200;

/** Fastify's own error codes that map onto ours. */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'ARGMED_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ARGMED_MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'ARGMED_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ARGMED_VALIDATION',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ARGMED_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'ARGMED_VALIDATION',
  FST_ERR_NOT_FOUND: 'ARGMED_NOT_FOUND',
  FST_ERR_BAD_URL: 'ARGMED_BAD_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'ARGMED_URI_TOO_LONG',
};

/** Where an unknown error's status lands when it is a client error fastify raised without a known code. */
function fallbackCode(status: number | undefined): ProblemCode {
  if (status === 404) return 'ARGMED_NOT_FOUND';
  if (status === 408) return 'ARGMED_REQUEST_TIMEOUT';
  if (status === 413) return 'ARGMED_BODY_TOO_LARGE';
  if (status === 414) return 'ARGMED_URI_TOO_LONG';
  if (status === 431) return 'ARGMED_HEADERS_TOO_LARGE';
  if (status === 415) return 'ARGMED_UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'ARGMED_RATE_LIMITED';
  if (status === 503) return 'ARGMED_OVERLOADED';
  if (status !== undefined && status >= 400 && status < 500) return 'ARGMED_VALIDATION';
  return 'ARGMED_INTERNAL';
}

/** Validation issue as fastify-type-provider-zod hands it over (one per zod issue). */
interface ValidationEntry {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

/** Zod's union issue keeps each branch's issues; report the branch that got past the type check. */
function unionBranchIssues(entry: ValidationEntry): ValidationEntry[] | undefined {
  const branches = entry.params?.errors;
  if (entry.keyword !== 'invalid_union' || !Array.isArray(branches)) return undefined;
  const relevant = (branches as Array<Array<{ code: string; path: PropertyKey[]; message: string }>>).find(
    (issues) => !(issues.length === 1 && issues[0].code === 'invalid_type' && issues[0].path.length === 0),
  );
  if (!relevant) return undefined;
  const base = entry.instancePath && entry.instancePath !== '/' ? entry.instancePath : '';
  return relevant.map((issue) => ({
    instancePath: `${base}/${fieldIssueOf(issue, '').path}`,
    message: issue.message,
    keyword: issue.code,
    params: issue as unknown as Record<string, unknown>,
  }));
}

/**
 * Turns fastify's validation entries into field issues, naming the field: `body/facts/0/text`. An unknown
 * key is named by its own path (`body/colour`), not by the object holding it.
 */
export function fieldIssues(entries: readonly ValidationEntry[], context: string | undefined): FieldIssue[] {
  const prefix = context ?? 'request';
  const issues: FieldIssue[] = [];
  for (const entry of entries) {
    const expanded = unionBranchIssues(entry);
    if (expanded) {
      issues.push(...fieldIssues(expanded, context));
      continue;
    }
    const path = (entry.instancePath ?? '').replace(/^\/+|\/+$/g, '');
    const base = path ? `${prefix}/${path}` : prefix;
    const keys = entry.keyword === 'unrecognized_keys' ? entry.params?.keys : undefined;
    if (Array.isArray(keys) && keys.length > 0) {
      for (const key of keys) issues.push({ path: `${base}/${String(key)}`, message: 'unknown field' });
    } else {
      issues.push({ path: base, message: issueMessage(entry.message ?? 'invalid value') });
    }
  }
  return issues;
}

/**
 * Maps any error to a problem: our ApiErrors, errors of other layers carrying an `ARGMED_*` code from the
 * table, fastify's errors, and validation errors (with the failing fields). Anything else is a 500 whose
 * detail says nothing about the internals.
 */
export function problemFromError(request: FastifyRequest, error: unknown): Problem {
  if (error instanceof ApiError) return problemFor(request, error.code, error.detail, error.extensions);
  const err = error as Partial<FastifyError> & { validation?: ValidationEntry[]; validationContext?: string };
  if (Array.isArray(err.validation)) {
    const errors = fieldIssues(err.validation, err.validationContext);
    return problemFor(request, 'ARGMED_VALIDATION', issuesText(errors), { errors });
  }
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (code && code in PROBLEMS) {
    // Errors of other layers (the case service) use the same codes; their messages are written for callers.
    const issues = (error as { issues?: unknown }).issues;
    const extensions = Array.isArray(issues) && issues.length > 0 ? { errors: issues as FieldIssue[] } : {};
    return problemFor(
      request,
      code as ProblemCode,
      err.message ?? PROBLEMS[code as ProblemCode].title,
      extensions,
    );
  }
  if (isStoreUnavailable(error)) {
    return problemFor(
      request,
      'ARGMED_STORE_UNAVAILABLE',
      `The database is not reachable; nothing was changed. Retry in ${STORE_RETRY_AFTER_SECONDS} seconds.`,
    );
  }
  const mapped = (code && FASTIFY_CODES[code]) || fallbackCode(err.statusCode);
  const detail = mapped === 'ARGMED_INTERNAL' ? 'The request could not be completed.' : describeFastify(err);
  return problemFor(request, mapped, detail);
}

/** Fastify's messages are safe to show (they never quote the body); the internal ones are not shown. */
function describeFastify(err: Partial<FastifyError>): string {
  if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'The body is not valid JSON.';
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'The body is empty but the content type is JSON.';
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return 'This content type is not accepted here; send application/json (or text/plain where documented).';
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    return 'The path cannot be decoded: a percent-escape does not make UTF-8 text (such as %ff).';
  }
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return `A path segment is longer than ${MAX_PARAM_LENGTH} characters; no id is that long.`;
  }
  return err.message ?? 'The request could not be completed.';
}
