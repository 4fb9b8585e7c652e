/**
 * `/healthz` (the process answers) and `/readyz` (the database is reachable and migrated, through the
 * injected `ready()` check). Neither needs an API key, so orchestrators can probe them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sendProblem } from '../../http/problem.js';
import type { RouteContext } from '../types.js';

const HealthSchema = z.object({ status: z.literal('ok') });
const ReadySchema = z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.string()) });

/** Health and readiness routes. */
export const healthRoutes: FastifyPluginAsyncZod<RouteContext> = async function healthRoutes(app, context) {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'The process is alive', response: { 200: HealthSchema } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The service can serve cases (database reachable, migrations done)',
        response: { 200: ReadySchema },
      },
    },
    async (request, reply) => {
      let report: { ready: boolean; checks: Record<string, string> } = { ready: true, checks: {} };
      try {
        if (context.ready) report = await context.ready();
      } catch (error) {
        report = { ready: false, checks: { check: error instanceof Error ? error.name : 'failed' } };
      }
      if (!report.ready) {
        const failing = Object.entries(report.checks)
          .filter(([, state]) => state !== 'ok')
          .map(([name, state]) => `${name}: ${state}`)
          .join(', ');
        reply.header('retry-after', '5');
        return sendProblem(request, reply, 'ARGMED_NOT_READY', `Not ready (${failing || 'unknown'}).`, {
          checks: report.checks,
        });
      }
      return { status: 'ready' as const, checks: report.checks };
    },
  );
};
