/**
 * Problem details (RFC 9457) for the CDS Hooks routes, in the same shape as the HTTP API's
 * (`src/http/problem.ts`: type, title, status, detail, instance, code, requestId, errors), with the
 * `ARGMED_CDS_*` codes of the one table. Errors that are not the CDS layer's (malformed JSON, body too large)
 * are mapped as the API maps them, so a client sees one vocabulary. A 401 never says why; a 5xx never shows
 * its message.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type FieldIssue, issuesText } from '../../schemes/field-issues.js';
import { fieldIssues, problemFromError, problemType, STORE_RETRY_AFTER_SECONDS } from '../http/problem.js';
import { type CdsProblemCode, PROBLEMS } from '../http/problem-codes.js';
import { CdsError } from './cds-error.js';

/** The problem body of an error raised while serving a CDS Hooks route. */
export function cdsProblem(
  request: FastifyRequest,
  error: unknown,
): Record<string, unknown> & { status: number } {
  const base = { instance: request.url.split('?')[0], requestId: String(request.id) };
  const make = (code: CdsProblemCode, detail: string, extra: Record<string, unknown> = {}) => ({
    type: problemType(code),
    title: PROBLEMS[code].title,
    status: PROBLEMS[code].status,
    detail,
    ...base,
    code,
    ...extra,
  });
  if (error instanceof CdsError) {
    if (error.code === 'ARGMED_CDS_UNAUTHORIZED')
      return make(error.code, 'The request is not authenticated.');
    if (error.code === 'ARGMED_CDS_INTERNAL') return make(error.code, 'The request could not be completed.');
    const errors: FieldIssue[] | undefined = error.field
      ? [{ path: error.field, message: error.message }]
      : undefined;
    return make(error.code, error.message, errors ? { errors } : {});
  }
  const err = error as Partial<FastifyError> & { validation?: unknown[]; validationContext?: string };
  if (Array.isArray(err.validation)) {
    const errors = fieldIssues(err.validation as Parameters<typeof fieldIssues>[0], err.validationContext);
    return make('ARGMED_CDS_INVALID_REQUEST', issuesText(errors), { errors });
  }
  return problemFromError(request, error) as Record<string, unknown> & { status: number };
}

/** Sends the problem of an error; 5xx are logged by class and code only (messages may quote patient data). */
export function sendCdsProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const problem = cdsProblem(request, error);
  if (problem.code === 'ARGMED_STORE_UNAVAILABLE')
    reply.header('retry-after', String(STORE_RETRY_AFTER_SECONDS));
  if (problem.status >= 500) {
    const err = error as { name?: string; code?: string };
    request.log.error({ code: problem.code, errorName: err.name, errorCode: err.code }, 'cds request failed');
  } else if (error instanceof CdsError && error.code === 'ARGMED_CDS_UNAUTHORIZED') {
    request.log.info(
      { code: problem.code, reason: (error as { reason?: string }).reason },
      'cds call refused',
    );
    reply.header('www-authenticate', 'Bearer');
  } else {
    request.log.info({ code: problem.code, status: problem.status }, 'cds request rejected');
  }
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}
