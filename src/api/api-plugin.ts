/**
 * The HTTP API as one fastify plugin, mounted by the app (src/http/build-app.ts) beside the CDS Hooks plugin:
 * health and readiness, Prometheus metrics, the view page's assets, and the `/v1` routes behind API keys and
 * a rate limit. Each route group is an encapsulated plugin in `routes/`.
 *
 * @example
 * await app.register(apiPlugin, { config, caseService, schemes, metrics, waitLimitMs, heartbeatMs, watchCases });
 */
import type {} from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../http/problem.js';
import type { Config } from '../config.js';
import { type ApiKeyAuth, createApiKeyAuth, FAILURE_BUCKET } from './auth.js';
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
  const { config, ...context } = options;
  const routeContext: RouteContext = { ...context, apiKeyRequired: config.apiKeys.length > 0 };
  await scope.register(healthRoutes, routeContext);
  await scope.register(async function metrics(metricsScope) {
    // Prometheus scrapes with one of the API keys or its own token; open only when neither is configured.
    const keys = config.metricsToken ? [...config.apiKeys, config.metricsToken] : config.apiKeys;
    guard(metricsScope, createApiKeyAuth(keys), config);
    await metricsScope.register(metricsRoutes, routeContext);
  });
  await scope.register(viewAssetRoutes);
  await scope.register(
    async function v1(v1Scope) {
      guard(v1Scope, createApiKeyAuth(config.apiKeys), config);
      await v1Scope.register(caseRoutes, routeContext);
      await v1Scope.register(caseEventRoutes, routeContext);
      await v1Scope.register(caseGraphRoutes, routeContext);
      await v1Scope.register(caseRevisionRoutes, routeContext);
      await v1Scope.register(caseViewRoutes, routeContext);
      await v1Scope.register(solveRoutes, routeContext);
      await v1Scope.register(schemeRoutes, routeContext);
      await v1Scope.register(evaluationRoutes, { config, viewLinks: context.viewLinks });
    },
    { prefix: '/v1' },
  );
}

/**
 * Adds the key check and the rate limit to a scope, in the order that counts failed keys (see auth.ts). The
 * limiter comes from the `@fastify/rate-limit` registration of the app (src/http/build-app.ts).
 */
function guard(scope: FastifyInstance, auth: ApiKeyAuth, config: Config): void {
  scope.addHook('onRequest', auth.identify);
  scope.addHook(
    'onRequest',
    scope.rateLimit({
      keyGenerator: auth.bucket,
      max: async (_request, key) =>
        key.startsWith(FAILURE_BUCKET) ? config.authFailuresPerMinute : config.rateLimitPerMinute,
      errorResponseBuilder: (request, context) =>
        new ApiError(
          'ARGMED_RATE_LIMITED',
          auth.bucket(request).startsWith(FAILURE_BUCKET)
            ? `More than ${context.max} requests a minute without a valid API key from this address; retry in ${context.after}.`
            : `More than ${context.max} requests a minute from this ${config.apiKeys.length > 0 ? 'API key' : 'address'}; retry in ${context.after}.`,
        ),
    }),
  );
  scope.addHook('onRequest', auth.require);
}
