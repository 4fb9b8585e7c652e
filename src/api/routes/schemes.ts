/** `GET /v1/schemes` and `GET /v1/schemes/:id`: the argumentation schemes the agents argue with. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SchemeSchema } from '../../../schemes/types.js';
import { ApiError } from '../../http/problem.js';
import type { RouteContext } from '../types.js';

const SchemeSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  yields: z.enum(['decision', 'belief']),
  criticalQuestions: z.number().int(),
});

/** Scheme listing and lookup. */
export const schemeRoutes: FastifyPluginAsyncZod<RouteContext> = async function schemeRoutes(app, context) {
  const byId = new Map(context.schemes.map((scheme) => [scheme.id, scheme]));

  app.get(
    '/schemes',
    {
      schema: {
        tags: ['schemes'],
        summary: 'The argumentation schemes, with the number of critical questions of each',
        response: { 200: z.object({ items: z.array(SchemeSummarySchema) }) },
      },
    },
    async () => ({
      items: context.schemes.map((scheme) => ({
        id: scheme.id,
        title: scheme.title,
        description: scheme.description,
        yields: scheme.yields,
        criticalQuestions: scheme.criticalQuestions.length,
      })),
    }),
  );

  app.get(
    '/schemes/:id',
    {
      schema: {
        tags: ['schemes'],
        summary: 'One scheme: variables, premises, conclusion and critical questions',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: SchemeSchema },
      },
    },
    async (request) => {
      const scheme = byId.get(request.params.id);
      if (!scheme)
        throw new ApiError('ARGMED_SCHEME_NOT_FOUND', `There is no scheme "${request.params.id}".`);
      return scheme;
    },
  );
};
