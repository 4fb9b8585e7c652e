/**
 * `GET /v1/cases/:id/graph?format=json|dot|aif|iccma|apx[&revision=N]`: a case's argument graph in the chosen
 * format, the latest revision's or revision N's (a contested case keeps every revision).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GRAPH_FORMATS, writeGraph } from '../../graph-exports/index.js';
import { ApiError } from '../../http/problem.js';
import type { RouteContext } from '../types.js';
import { CaseIdParamsSchema, requireCase } from './cases.js';

/** The argument graph of a case. */
export const caseGraphRoutes: FastifyPluginAsyncZod<RouteContext> = async function caseGraphRoutes(
  app,
  context,
) {
  const { caseService } = context;

  app.get(
    '/cases/:id/graph',
    {
      schema: {
        tags: ['cases'],
        summary:
          'The argument graph: json (graphology), dot (Graphviz), aif (AIF JSON), iccma (ICCMA 2023) or apx',
        params: CaseIdParamsSchema,
        querystring: z
          .object({
            format: z.enum(GRAPH_FORMATS).default('json').describe('The export format'),
            revision: z.coerce
              .number()
              .int()
              .min(1)
              .max(1_000_000_000)
              .optional()
              .describe('A revision number (GET /v1/cases/:id/revisions); the latest when absent'),
          })
          .strict(),
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { revision } = request.query;
      const graph =
        revision === undefined
          ? await caseService.graph(id)
          : (await caseService.revisionGraph(id, revision))?.graph;
      if (!graph) {
        const record = await requireCase(caseService, id);
        throw new ApiError(
          'ARGMED_GRAPH_NOT_READY',
          record.status === 'failed'
            ? `Case "${id}" failed and has no argument graph: it will not get one (its error says why).`
            : `Case "${id}" is ${record.status} and has no graph yet.`,
        );
      }
      const rendered = writeGraph(graph, request.query.format, context.schemes);
      const suffix = revision === undefined ? '' : `-rev-${revision}`;
      const file = `case-${id.replace(/[^A-Za-z0-9._-]/g, '_')}${suffix}.${rendered.extension}`;
      return reply
        .type(rendered.contentType)
        .header('content-disposition', `inline; filename="${file}"`)
        .send(rendered.body);
    },
  );
};
