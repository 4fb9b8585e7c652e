/**
 * The HTTP API as one fastify plugin, mounted by the app (src/http/build-app.ts) beside the CDS Hooks plugin:
 * health and readiness, Prometheus metrics, the view page's assets, and the `/v1` routes behind API keys and
 * a rate limit. Each route group is an encapsulated plugin in `routes/`.
 *
 * @example
 * await app.register(apiPlugin, { config, caseService, schemes, metrics, waitLimitMs, heartbeatMs, watchCases });
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../http/problem.js';
import { createAuthHook, rateLimitKey } from './auth.js';
import { caseEventRoutes } from './routes/case-events.js';
import { caseGraphRoutes } from './routes/case-graph.js';
import { caseRevisionRoutes } from './routes/case-revisions.js';
import { caseViewRoutes } from './routes/case-view.js';
import { caseRoutes } from './routes/cases.js';
import { evaluationRoutes } from './routes/evaluations.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { schemeRoutes } from './routes/schemes.js';
import { solveRoutes } from './routes/solve.js';
import { viewAssetRoutes } from './routes/view-assets.js';
import type { ApiPluginOptions, RouteContext } from './types.js';

/** Registers the API's routes on `scope`. */
export async function apiPlugin(scope: FastifyInstance, options: ApiPluginOptions): Promise<void> {
  const { config, sharedState, ...context } = options;
  const routeContext: RouteContext = context;
  await scope.register(healthRoutes, routeContext);
  await scope.register(metricsRoutes, routeContext);
  await scope.register(viewAssetRoutes);
  await scope.register(
    async function v1(v1Scope) {
      v1Scope.addHook('onRequest', createAuthHook(config.apiKeys));
      await v1Scope.register(rateLimit, {
        max: config.rateLimitPerMinute,
        timeWindow: 60_000,
        keyGenerator: rateLimitKey,
        // One count across replicas when they share Redis.
        ...(sharedState ? { redis: sharedState.redis, nameSpace: `${sharedState.prefix}:rate-limit:` } : {}),
        errorResponseBuilder: (_request, context) =>
          new ApiError(
            'ARGMED_RATE_LIMITED',
            `More than ${context.max} requests a minute with this key; retry ${context.after}.`,
          ),
      });
      await v1Scope.register(caseRoutes, routeContext);
      await v1Scope.register(caseEventRoutes, routeContext);
      await v1Scope.register(caseGraphRoutes, routeContext);
      await v1Scope.register(caseRevisionRoutes, routeContext);
      await v1Scope.register(caseViewRoutes, routeContext);
      await v1Scope.register(solveRoutes, routeContext);
      await v1Scope.register(schemeRoutes, routeContext);
      await v1Scope.register(evaluationRoutes, { config });
    },
    { prefix: '/v1' },
  );
}
