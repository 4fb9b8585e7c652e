/**
 * `GET /v1/cases/:id/view`: the page that draws a case's argument graph. The case's data travels inside the
 * page, so one authorised request is enough; the page's scripts come from /assets on the same server.
 * It opens with the API key, or with a signed link (`?exp=&sig=`, src/view/view-link.ts) for a browser that
 * has none; an expired or forged link answers 401 (src/api/refused-link.ts: a page that says so, for a browser).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TERMINAL_STATUSES } from '../../cases/types.js';
import { buildViewData, renderViewPage } from '../../view/index.js';
import { type RefusedCheck, refuseLink } from '../refused-link.js';
import type { RouteContext } from '../types.js';
import { CaseIdParamsSchema, requireCase } from './cases.js';

const ViewQuerySchema = z.object({
  exp: z.string().max(20).optional().describe('Expiry of a signed link (seconds since the epoch)'),
  sig: z.string().max(100).optional().describe('Signature of a signed link'),
});

const REFUSED: Record<RefusedCheck, string> = {
  expired:
    'This link to the argument graph has expired. Open the case again from where you found the link (the CDS card or the application) to get a fresh one.',
  forged:
    'This link to the argument graph is not valid: it was changed or belongs to another case or server. Open the case again from where you found the link.',
};

/** The graph page of a case. */
export const caseViewRoutes: FastifyPluginAsyncZod<RouteContext> = async function caseViewRoutes(
  app,
  context,
) {
  const { caseService, schemes, viewLinks } = context;
  app.get(
    '/cases/:id/view',
    {
      config: { signedViewLink: true },
      schema: {
        tags: ['cases'],
        operationId: 'viewCase',
        summary: 'An HTML page drawing the argument graph (labels, justification, critical questions)',
        params: CaseIdParamsSchema,
        querystring: ViewQuerySchema,
      },
    },
    async (request, reply) => {
      const { exp, sig } = request.query;
      if (sig !== undefined) {
        const check = viewLinks.check(request.params.id, exp, sig);
        if (check !== 'valid') return refuseLink(request, reply, check, REFUSED);
      }
      const record = await requireCase(caseService, request.params.id);
      const terminal = TERMINAL_STATUSES.includes(record.status);
      const graph = record.result ? undefined : await caseService.graph(record.id);
      const list = terminal ? await caseService.revisions(record.id) : undefined;
      const page = renderViewPage(
        buildViewData(record, graph, schemes, terminal, {
          revisions: list?.revisions ?? [],
          chainVerified: list?.chain.verified ?? true,
          apiKeyRequired: context.apiKeyRequired === true,
        }),
      );
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(page);
    },
  );
};
