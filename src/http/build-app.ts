/**
 * Builds the HTTP application, the service's one HTTP edge: fastify 5 with zod schemas on every route, RFC 9457
 * problems, request ids, request metrics, body limit, overload protection, helmet's headers (computed once,
 * see security-headers.ts) and CORS, OpenAPI at /openapi.json and docs at /docs. It mounts the two route
 * plugins side by side, the HTTP API (src/api) and CDS Hooks (src/cds); neither imports the other.
 */
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import underPressure from '@fastify/under-pressure';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { createRegistry } from '../../schemes/load.js';
import { apiPlugin } from '../api/api-plugin.js';
import { cdsHooksPlugin } from '../cds/cds-hooks-plugin.js';
import { createViewLinks } from '../view/index.js';
import { checkBodyEncoding } from './body-encoding.js';
import { type AllowedMethods, recordAllowedMethods } from './allowed-methods.js';
import { answerClientError, answerConnect, sendFrameworkError } from './framework-errors.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { MAX_PARAM_LENGTH, problemFromError, STORE_RETRY_AFTER_SECONDS, sendProblem } from './problem.js';
import { refuseQueryCredentials } from './query-credentials.js';
import { addSecurityHeaders } from './security-headers.js';
import type { AppOptions, PressureLimits } from './types.js';
import { finishOpenApiDocument, openApiRouteTransform } from './openapi.js';

const DEFAULT_PRESSURE: PressureLimits = {
  // Only a loop that stalls for a second is "overloaded": utilisation near 1 is normal under full load.
  maxEventLoopDelay: 1_000,
  maxEventLoopUtilization: 0,
  maxHeapUsedBytes: 0,
  sampleInterval: 1_000,
  retryAfterSeconds: 10,
};

/**
 * Longest a request may take to arrive. fastify's default (0) turns Node's own limit off, so a body that
 * stopped arriving held its connection with no answer for as long as the client liked.
 */
const REQUEST_TIMEOUT_MS = 60_000;

/** Request ids from a caller are kept when they look like ids; anything else gets a fresh UUID. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds (but does not start) the application.
 * @param options configuration, the case service, the schemes, a logger and the readiness check.
 * @returns a fastify instance; call `listen` or use `inject`. Resolves once every plugin is loaded.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const metrics = options.metrics ?? createMetrics();
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const app = Fastify({
    loggerInstance: options.logger ?? createLogger(config.logLevel),
    bodyLimit: config.bodyLimitBytes,
    requestTimeout,
    // Given to Node's server when it is made as well: set only afterwards (as fastify does), Node 20 never
    // times out a body that stopped. Checked on this interval (Node's default 30 s), so 408 comes near the limit.
    http: { requestTimeout, connectionsCheckingInterval: Math.min(5_000, Math.ceil(requestTimeout / 4)) },
    // `/cds-services/` as well as `/cds-services`: CDS clients (the CDS Hooks sandbox) add the slash.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: sendFrameworkError,
    clientErrorHandler: answerClientError,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>() as unknown as FastifyInstance;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app, recordAllowedMethods(app));
  // Without a listener Node resets a CONNECT's connection without a word.
  app.server.on('connect', answerConnect);

  app.addHook('onRequest', refuseQueryCredentials);
  app.addHook('preParsing', checkBodyEncoding);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_code: reply.statusCode,
      },
      reply.elapsedTime / 1000,
    );
  });

  addSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: true,
      // Served over plain HTTP on loopback by default: do not ask browsers to upgrade to HTTPS.
      directives: { 'upgrade-insecure-requests': null },
    },
  });
  await app.register(cors, { origin: corsOrigin(config.corsOrigin) });
  const pressure = { ...DEFAULT_PRESSURE, ...options.pressure };
  await app.register(underPressure, {
    maxEventLoopDelay: pressure.maxEventLoopDelay,
    maxEventLoopUtilization: pressure.maxEventLoopUtilization,
    maxHeapUsedBytes: pressure.maxHeapUsedBytes,
    sampleInterval: pressure.sampleInterval,
    pressureHandler: (request, reply, type) => {
      reply.header('retry-after', String(pressure.retryAfterSeconds));
      sendProblem(request, reply, 'ARGMED_OVERLOADED', `The service is overloaded (${type}); retry later.`);
    },
  });
  // One limiter store for the service; each route plugin adds it where its buckets are known (`app.rateLimit`):
  // the API by verified key, else address, with failed keys in a per-address bucket; CDS Hooks by address.
  // With Redis (REDIS_URL) the store is shared, so replicas count one client's requests together.
  await app.register(rateLimit, {
    global: false,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    ...(options.sharedState
      ? { redis: options.sharedState.redis, nameSpace: `${options.sharedState.prefix}:rate-limit:` }
      : {}),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'argmed',
        description:
          'Argumentation-based clinical decision support: submit a case, follow its deliberation, read the ' +
          'decision with its explanation and inspect the argument graph. Errors are RFC 9457 problem+json.',
        version: '0.1.0',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: config.apiKeys.length > 0 ? [{ apiKey: [] }] : [],
    },
    transform: openApiRouteTransform,
    transformObject: (documentObject) =>
      finishOpenApiDocument(
        ('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject) as Record<
          string,
          unknown
        >,
        config.publicUrl,
      ),
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // Swagger UI sets inline styles on its elements; scripts stay restricted to its own files.
    transformStaticCSP: (header) =>
      header.replace(/style-src ([^;]*)/, (directive) => `${directive} 'unsafe-inline'`),
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const viewLinks = createViewLinks(config.viewLinks);
  await app.register(apiPlugin, {
    config,
    caseService: options.caseService,
    schemes: options.schemes,
    metrics,
    waitLimitMs: options.waitLimitMs ?? 30_000,
    heartbeatMs: options.heartbeatMs ?? 15_000,
    watchCases: !options.caseMetricsFromService,
    ready: options.ready,
    viewLinks,
  });
  await app.register(cdsHooksPlugin, {
    config,
    caseService: options.caseService,
    schemes: createRegistry(options.schemes),
    knowledgeBase: options.knowledgeBase,
    viewLinks,
    sharedState: options.sharedState,
    ...options.cds,
  });

  await app.ready();
  return app;
}

/** Every error and unknown route answers problem+json; client errors are logged without their message. */
function installProblemHandlers(app: FastifyInstance, allowedMethods: AllowedMethods): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = problemFromError(request, error);
    if (problem.status >= 500) {
      // Log the error class and code, not its message: messages of lower layers can quote case content.
      const err = error as { name?: string; code?: string };
      request.log.error({ code: problem.code, errorName: err.name, errorCode: err.code }, 'request failed');
    } else {
      request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
    }
    if (problem.status === 429 || problem.status === 503) {
      const seconds = problem.code === 'ARGMED_STORE_UNAVAILABLE' ? STORE_RETRY_AFTER_SECONDS : 60;
      if (!reply.getHeader('retry-after')) reply.header('retry-after', String(seconds));
    }
    return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const allowed = allowedMethods(path);
    if (allowed.length === 0) {
      return sendProblem(request, reply, 'ARGMED_NOT_FOUND', `There is no route ${request.method} ${path}.`);
    }
    reply.header('allow', allowed.join(', '));
    if (request.method === 'OPTIONS') return reply.code(204).send();
    return sendProblem(
      request,
      reply,
      'ARGMED_METHOD_NOT_ALLOWED',
      `${path} answers ${allowed.join(', ')}, not ${request.method}.`,
    );
  });
}

/** `ARGMED_CORS_ORIGIN`: unset = no cross-origin access; `*` = any; otherwise a comma-separated list. */
function corsOrigin(setting: string | undefined): boolean | string | string[] {
  if (!setting) return false;
  if (setting === '*') return '*';
  const origins = setting
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  // A list (even of one) makes the plugin answer only matching origins instead of always naming the one.
  return origins;
}
