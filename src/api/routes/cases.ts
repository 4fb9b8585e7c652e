/**
 * Cases: submit (`POST /v1/cases`, 202, or 200 with `?wait=true` once finished), read, list with filters
 * and a cursor, delete. The body is the same case document `argmed decide` reads (agents/case.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cleanString, NewCaseSchema } from '../../../agents/case.js';
import { type CaseRecord, type CaseService, TERMINAL_STATUSES } from '../../cases/types.js';
import {
  CASE_STATUSES,
  CaseResponseSchema,
  CaseSummaryResponseSchema,
  caseLinks,
  representCase,
  representSummary,
} from '../case-representation.js';
import { type ApiMetrics, recordFinishedCase } from '../../http/metrics.js';
import { ApiError } from '../../http/problem.js';
import type { RouteContext } from '../types.js';

export const CaseIdParamsSchema = z.object({ id: cleanString().min(1).max(128) });

const SubmitQuerySchema = z
  .object({
    wait: z
      .enum(['true', 'false', '1', '0'])
      .optional()
      .describe('Hold the request until the case finishes (up to a server-side limit, then 202)'),
  })
  .strict();

const SubmitHeadersSchema = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('The same key and body return the same case instead of starting a second one'),
});

const ListQuerySchema = z
  .object({
    status: z.enum(CASE_STATUSES).optional(),
    createdAfter: z.iso.datetime({ offset: true }).optional().describe('ISO 8601, inclusive'),
    createdBefore: z.iso.datetime({ offset: true }).optional().describe('ISO 8601, inclusive'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cleanString().min(1).max(512).optional().describe('`nextCursor` of the previous page'),
  })
  .strict();

/** How long the metrics watcher follows a case it saw submitted (past the longest deadline a case can set). */
const WATCH_LIMIT_MS = 3_700_000;

/** Case submission, reading, listing and deletion. */
export const caseRoutes: FastifyPluginAsyncZod<RouteContext> = async function caseRoutes(app, context) {
  const { caseService, metrics, viewLinks } = context;

  app.post(
    '/cases',
    {
      preValidation: requireJson,
      schema: {
        tags: ['cases'],
        summary: 'Submit a case; answers 202 with its id and links (or 200 with the result when ?wait=true)',
        body: NewCaseSchema,
        querystring: SubmitQuerySchema,
        headers: SubmitHeadersSchema,
        response: { 200: CaseResponseSchema, 202: CaseResponseSchema },
      },
    },
    async (request, reply) => {
      const { record, created } = await caseService.submit(request.body, {
        idempotencyKey: request.headers['idempotency-key'],
      });
      if (created) metrics.casesSubmitted.inc();
      if (created && context.watchCases) watchCase(caseService, metrics, record.id);
      else reply.header('idempotent-replayed', 'true');
      reply.header('location', caseLinks(record.id).self);
      const wait = request.query.wait === 'true' || request.query.wait === '1';
      const current = wait ? await waitForCase(caseService, record, context.waitLimitMs) : record;
      return reply.code(isTerminal(current) ? 200 : 202).send(representCase(current, viewLinks));
    },
  );

  app.get(
    '/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'A case: status, result (decision, explanation, graph, usage) and links',
        params: CaseIdParamsSchema,
        response: { 200: CaseResponseSchema },
      },
    },
    async (request) => representCase(await requireCase(caseService, request.params.id), viewLinks),
  );

  app.get(
    '/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Cases, newest first, filtered by status and creation time, a page at a time',
        querystring: ListQuerySchema,
        response: {
          200: z.object({ items: z.array(CaseSummaryResponseSchema), nextCursor: z.string().optional() }),
        },
      },
    },
    async (request) => {
      const page = await caseService.list(request.query);
      return {
        items: page.items.map((item) => representSummary(item, viewLinks)),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.delete(
    '/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'Delete a case with its graph, events and call log',
        params: CaseIdParamsSchema,
      },
    },
    async (request, reply) => {
      const removed = await caseService.delete(request.params.id);
      if (!removed) throw caseNotFound(request.params.id);
      return reply.code(204).send();
    },
  );
};

/** The 404 of an unknown case id. */
export function caseNotFound(id: string): ApiError {
  return new ApiError('ARGMED_CASE_NOT_FOUND', `There is no case "${id}".`);
}

/** Reads a case or throws its 404. */
export async function requireCase(caseService: CaseService, id: string): Promise<CaseRecord> {
  const record = await caseService.get(id);
  if (!record) throw caseNotFound(id);
  return record;
}

function isTerminal(record: CaseRecord): boolean {
  return TERMINAL_STATUSES.includes(record.status);
}

async function waitForCase(
  caseService: CaseService,
  record: CaseRecord,
  limitMs: number,
): Promise<CaseRecord> {
  if (isTerminal(record)) return record;
  return (await caseService.waitUntilDone(record.id, limitMs)) ?? record;
}

/** Follows a newly created case to its end to count it in the metrics; never fails the request. */
function watchCase(caseService: CaseService, metrics: ApiMetrics, id: string): void {
  metrics.casesInFlight.inc();
  caseService
    .waitUntilDone(id, WATCH_LIMIT_MS)
    .then((record) => {
      if (record && isTerminal(record)) recordFinishedCase(metrics, record.status, record.result);
    })
    .catch(() => undefined)
    .finally(() => metrics.casesInFlight.dec());
}

/** Case documents are JSON: any other content type is a 415, not a confusing type error on the body. */
async function requireJson(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new ApiError(
      'ARGMED_UNSUPPORTED_MEDIA_TYPE',
      `Send the case as application/json (got ${type ? `"${type.split(';')[0]}"` : 'no content type'}).`,
    );
  }
}
