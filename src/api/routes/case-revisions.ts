/**
 * Contested cases (src/revisions): a clinician argues back and every revision is kept.
 * - `POST /v1/cases/:id/arguments`: an argument that attacks existing ones (verified by the case's back-end
 *   unless `judgement: true`);
 * - `POST /v1/cases/:id/facts`: a new or corrected fact (the deliberation continues where it reaches);
 * - `DELETE /v1/cases/:id/arguments/:argumentId`: withdraws a contributed argument;
 * - `GET /v1/cases/:id/revisions`: every revision, with the verification of the hash chain.
 * Each answer carries `ETag: "rev-N"`; a contribution sent with `If-Match: "rev-N"` is refused with 412 when
 * the case has moved on. The author is the API key's id (`anonymous` when keys are not configured).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CaseService } from '../../cases/types.js';
import type { ContestResult } from '../../revisions/contest-case.js';
import {
  ArgumentContributionSchema,
  type Contribution,
  FactContributionSchema,
  ReasonSchema,
} from '../../revisions/types.js';
import { apiKeyId } from '../auth.js';
import { caseLinks } from '../case-representation.js';
import { fieldError } from '../../http/problem.js';
import type { RouteContext } from '../types.js';
import { CaseIdParamsSchema, caseNotFound } from './cases.js';

const IfMatchHeadersSchema = z.looseObject({
  'if-match': z
    .string()
    .max(64)
    .optional()
    .describe('"rev-N": apply only if revision N is still the latest (412 otherwise)'),
});

/** The revision an `If-Match` header names; undefined for none or `*`. @throws ARGMED_VALIDATION. */
export function revisionFromIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?rev-(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    throw fieldError(
      'ARGMED_VALIDATION',
      'headers/if-match',
      'expected "rev-N", the ETag of the revision read',
    );
  }
  return Number(match[1]);
}

/** The ETag of a revision. */
export function revisionTag(revision: number): string {
  return `"rev-${revision}"`;
}

/** The contribution routes and the revision list. */
export const caseRevisionRoutes: FastifyPluginAsyncZod<RouteContext> = async function caseRevisionRoutes(
  app,
  context,
) {
  const { caseService } = context;

  app.post(
    '/cases/:id/arguments',
    {
      schema: {
        tags: ['contest'],
        summary: 'Contest a finished case with an argument attacking existing ones; answers the new revision',
        params: CaseIdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: ArgumentContributionSchema,
      },
    },
    async (request, reply) => {
      const contribution: Contribution = { kind: 'argument', argument: request.body };
      return contribute(caseService, request, reply, contribution, request.body.reason);
    },
  );

  app.post(
    '/cases/:id/facts',
    {
      schema: {
        tags: ['contest'],
        summary: 'Add or correct a fact; the deliberation continues over the arguments it touches',
        params: CaseIdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: FactContributionSchema,
      },
    },
    async (request, reply) => {
      const contribution: Contribution = { kind: 'fact', fact: request.body.fact };
      return contribute(caseService, request, reply, contribution, request.body.reason);
    },
  );

  app.delete(
    '/cases/:id/arguments/:argumentId',
    {
      schema: {
        tags: ['contest'],
        summary: "Withdraw a contributed argument (the deliberation's own arguments are kept)",
        params: CaseIdParamsSchema.extend({ argumentId: z.string().min(1).max(64) }),
        headers: IfMatchHeadersSchema,
        querystring: z.object({ reason: ReasonSchema }).strict(),
      },
    },
    async (request, reply) => {
      const contribution: Contribution = { kind: 'withdrawal', argument: request.params.argumentId };
      return contribute(caseService, request, reply, contribution, request.query.reason);
    },
  );

  app.get(
    '/cases/:id/revisions',
    {
      schema: {
        tags: ['contest'],
        summary:
          'Every revision of the graph (who, when, why, what changed, labels changed) and the hash chain check',
        params: CaseIdParamsSchema,
      },
    },
    async (request, reply) => {
      const list = await caseService.revisions(request.params.id);
      if (!list) throw caseNotFound(request.params.id);
      const last = list.revisions[list.revisions.length - 1];
      if (last) reply.header('etag', revisionTag(last.revision));
      return list;
    },
  );
};

async function contribute(
  caseService: CaseService,
  request: FastifyRequest,
  reply: FastifyReply,
  contribution: Contribution,
  reason: string,
): Promise<ContestResult & { links: ReturnType<typeof caseLinks> & { revisions: string } }> {
  const basedOn = revisionFromIfMatch(request.headers['if-match'] as string | undefined);
  const { id } = request.params as { id: string };
  const outcome = await caseService.contribute(id, contribution, {
    author: apiKeyId(request) ?? 'anonymous',
    reason,
    ...(basedOn !== undefined ? { basedOn } : {}),
  });
  const links = { ...caseLinks(id), revisions: `${caseLinks(id).self}/revisions` };
  reply.code(201).header('etag', revisionTag(outcome.revision.revision)).header('location', links.revisions);
  return { ...outcome, links };
}
