/** `/metrics`: the Prometheus exposition of the app's registry. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteContext } from '../types.js';

/** The metrics route (text exposition format). */
export const metricsRoutes: FastifyPluginAsyncZod<RouteContext> = async function metricsRoutes(app, context) {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary:
          'Prometheus metrics: request durations, cases by status, LLM calls and tokens, deliberations',
      },
    },
    async (_request, reply) => {
      const text = await context.metrics.registry.metrics();
      return reply.type(context.metrics.registry.contentType).send(text);
    },
  );
};
