/**
 * `GET /v1/cases/:id/view`: the page that draws a case's argument graph. The case's data travels inside the
 * page, so one authorised request is enough; the page's scripts come from /assets on the same server.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { TERMINAL_STATUSES } from '../../cases/types.js';
import { buildViewData, renderViewPage } from '../../view/index.js';
import type { RouteContext } from '../types.js';
import { CaseIdParamsSchema, requireCase } from './cases.js';

/** The graph page of a case. */
export const caseViewRoutes: FastifyPluginAsyncZod<RouteContext> = async function caseViewRoutes(
  app,
  context,
) {
  const { caseService, schemes } = context;
  app.get(
    '/cases/:id/view',
    {
      schema: {
        tags: ['cases'],
        summary: 'An HTML page drawing the argument graph (labels, justification, critical questions)',
        params: CaseIdParamsSchema,
      },
    },
    async (request, reply) => {
      const record = await requireCase(caseService, request.params.id);
      const terminal = TERMINAL_STATUSES.includes(record.status);
      const graph = record.result ? undefined : await caseService.graph(record.id);
      const page = renderViewPage(buildViewData(record, graph, schemes, terminal));
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
    },
  );
};
