/**
 * The CDS Hooks 2.0 service as a fastify plugin: discovery (`GET /cds-services`), the services
 * (`POST /cds-services/:id`) and feedback (`POST /cds-services/:id/feedback`), every body checked by zod,
 * every call authenticated by a client JWT (unless `ARGMED_CDS_INSECURE=1`), errors as problem+json.
 * The plugin is encapsulated: its error handler and auth hook apply to its own routes only.
 *
 * @example
 * await app.register(cdsHooksPlugin, { config, caseService });
 * // or, with a back-end and knowledge already built (tests, benchmarks):
 * await app.register(cdsHooksPlugin, { config, backend, knowledge });
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { indexKnowledgeBase } from '../../agents/knowledge/knowledge-index.js';
import { createKnowledgeBackend, type KnowledgeBase, loadKnowledgeBase } from '../../agents/knowledge/index.js';
import type { Backend } from '../../agents/types.js';
import { loadSchemes, type SchemeRegistry } from '../../schemes/load.js';
import { knowledgeBasePath } from '../backends.js';
import type { CaseFeedback, CaseService } from '../cases/types.js';
import type { Config } from '../config.js';
import type { Budgets } from '../engine/types.js';
import { answerHook, type HookDeps, serviceFor } from './answer-hook.js';
import { createCdsAuth, parseIssuers } from './auth.js';
import { OVERRIDE_REASONS } from './build-card.js';
import { createCardRegistry, createRedisCardRegistry } from './card-registry.js';
import { createRedisReplayCache } from './replay-cache.js';
import type { SharedState } from '../shared-state/shared-state.js';
import { contestOverride } from './contest-override.js';
import { CdsError } from './cds-error.js';
import { ApiError } from '../http/problem.js';
import { knowledgeLookup } from './knowledge-lookup.js';
import { sendCdsProblem } from './send-problem.js';
import { warmUp } from './warm-up.js';
import { createViewLinks, type ViewLinks } from '../view/index.js';
import { DEFAULT_TIME_BUDGET_MS, findService, serviceDescriptors } from './service-catalog.js';
import {
  type CdsKnowledge,
  DiscoveryResponseSchema,
  FeedbackRequestSchema,
  FeedbackResponseSchema,
  HookRequestSchema,
  HookResponseSchema,
} from './types.js';

/** Options of `cdsHooksPlugin`. */
export interface CdsHooksPluginOptions {
  /** The configuration (`loadConfig()`): CDS security, public URL, back-end and knowledge base. */
  config: Config;
  /** Stores each argued case, so cards link to its graph page and feedback reaches it. */
  caseService?: CaseService;
  /** The back-end to argue with; the knowledge back-end over `config.knowledgePath` when absent. */
  backend?: Backend;
  /** Knowledge-base lookups for questions; read from `config.knowledgePath` (or the default KB) when absent. */
  knowledge?: CdsKnowledge;
  /** The knowledge base of `config.knowledgePath`, already loaded (read from the file when absent). */
  knowledgeBase?: KnowledgeBase;
  /** Schemes for the engine; the default folder's when absent. */
  schemes?: SchemeRegistry;
  /** Total time a call may take, advertised in discovery (default 450 ms, under an EHR's 500 ms). */
  timeBudgetMs?: number;
  /** Timeout of each FHIR request when prefetch is missing (default 1500 ms). */
  fhirTimeoutMs?: number;
  /** Engine budgets besides the deadline (which the time budget sets). */
  budgets?: Partial<Budgets>;
  /** Draft orders argued per call, at most (default 3). */
  maxOrders?: number;
  /** Run synthetic calls once listening, so the first EHR call is not slowed by the JIT (default true). */
  warmUp?: boolean;
  /** Clock in ms (ages, token times); tests pass their own. */
  now?: () => number;
  /** Signs the cards' links to graph pages; made from `config.viewLinks` when absent. */
  viewLinks?: ViewLinks;
  /** Redis for the `jti` replay cache and the card registry, shared by replicas; this process's memory when absent. */
  sharedState?: SharedState;
}

/** How long after listening the warm-up starts. */
const WARM_UP_DELAY_MS = 1_000;

/** Smallest body limit of a service call (prefetch bundles are large); `ARGMED_BODY_LIMIT` may raise it. */
export const CDS_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

const ServiceParams = z.object({ id: z.string().min(1).max(128) });

/**
 * Registers the CDS Hooks routes.
 * @throws ConfigError (`ARGMED_CDS_ISSUERS`) when the issuer list is invalid; the knowledge loader's error
 *   when the knowledge base cannot be read.
 */
export async function cdsHooksPlugin(scope: FastifyInstance, options: CdsHooksPluginOptions): Promise<void> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const timeBudgetMs = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const issuers = parseIssuers(config.cds.issuers);
  const auth = createCdsAuth({
    issuers,
    now,
    ...(options.sharedState ? { replayCache: createRedisReplayCache(options.sharedState) } : {}),
  });
  if (config.cds.insecure) {
    scope.log.warn(
      'ARGMED_CDS_INSECURE=1: CDS Hooks calls are accepted WITHOUT authentication; use only in a local sandbox',
    );
  } else if (issuers.length === 0) {
    scope.log.warn('ARGMED_CDS_ISSUERS is empty: every CDS Hooks call will be refused with 401');
  }
  if (issuers.length > 0 && !config.publicUrl) {
    scope.log.warn(
      'ARGMED_CDS_ISSUERS is set without ARGMED_PUBLIC_URL: the CDS audience check and card links follow the Host header of each call; set ARGMED_PUBLIC_URL (required when NODE_ENV=production)',
    );
  }
  const { backend, knowledge } = await resolveReasoning(options);
  // Loaded now, not on the first call, so the first EHR call is answered within the budget too.
  const schemes = options.schemes ?? (await loadSchemes(config.schemesDir));
  const registry = options.sharedState
    ? createRedisCardRegistry(options.sharedState)
    : createCardRegistry(50_000, 86_400_000, now);
  const deps: HookDeps = {
    backend,
    knowledge,
    schemes,
    caseService: options.caseService,
    budgets: options.budgets ?? {},
    timeBudgetMs,
    fhirTimeoutMs: options.fhirTimeoutMs ?? 1500,
    fhirLoopback: config.cds.fhirLoopback,
    maxOrders: options.maxOrders ?? 3,
    now,
    registry,
    viewLinks: options.viewLinks ?? createViewLinks({ ...config.viewLinks, now }),
    log: scope.log,
  };

  if (options.warmUp !== false) {
    // In the background, a second after the server listens (never under `inject`): neither the start nor the
    // first requests (health probes) wait for it; a cold first call costs about 50 ms of CPU more than a warm one.
    let timer: NodeJS.Timeout | undefined;
    scope.addHook('onListen', async () => {
      timer = setTimeout(() => {
        void auth.prepare().catch(() => {});
        void warmUp(deps);
      }, WARM_UP_DELAY_MS).unref();
    });
    scope.addHook('onClose', async () => clearTimeout(timer));
  }

  const baseUrl = (request: FastifyRequest) =>
    (config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');

  scope.setErrorHandler((error, request, reply) => sendCdsProblem(request, reply, error));
  // Counted per client address before the token is checked, so failed authentications are limited too. The
  // app's limiter (src/http/build-app.ts) when mounted there; a limiter of its own when used alone.
  if (!scope.hasDecorator('rateLimit'))
    await scope.register(rateLimit, { global: false, timeWindow: 60_000 });
  scope.addHook(
    'onRequest',
    scope.rateLimit({
      max: config.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => `cds:${request.ip}`,
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          'ARGMED_RATE_LIMITED',
          `More than ${context.max} CDS Hooks requests a minute from this address; retry in ${context.after}.`,
        ),
    }),
  );
  scope.addHook('onRequest', async (request) => {
    if (config.cds.insecure) return;
    const audience = `${baseUrl(request)}${request.url.split('?')[0]}`;
    await auth.verify(request.headers.authorization, audience);
  });

  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/cds-services',
    {
      schema: {
        tags: ['cds-hooks'],
        summary: 'CDS Hooks discovery',
        response: { 200: DiscoveryResponseSchema },
      },
    },
    async () => ({ services: serviceDescriptors(timeBudgetMs) }),
  );

  app.post(
    '/cds-services/:id',
    {
      // Prefetch carries whole searchsets (every lab of a chart): allow more than the API's case bodies.
      bodyLimit: Math.max(config.bodyLimitBytes, CDS_BODY_LIMIT_BYTES),
      schema: {
        tags: ['cds-hooks'],
        summary: 'Call a CDS service (patient-view, order-select, order-sign)',
        params: ServiceParams,
        body: HookRequestSchema,
        response: { 200: HookResponseSchema },
      },
    },
    async (request) => {
      const service = serviceFor(request.params.id, request.body.hook);
      return answerHook(deps, service, request.body, baseUrl(request));
    },
  );

  app.post(
    '/cds-services/:id/feedback',
    {
      schema: {
        tags: ['cds-hooks'],
        summary: 'Feedback on cards: accepted suggestions or overrides with reasons',
        params: ServiceParams,
        body: FeedbackRequestSchema,
        response: { 200: FeedbackResponseSchema },
      },
    },
    async (request) => {
      const serviceId = request.params.id;
      if (!findService(serviceId)) {
        throw new CdsError(
          'ARGMED_CDS_UNKNOWN_SERVICE',
          `There is no CDS service "${serviceId}"; see GET /cds-services.`,
        );
      }
      const found = await Promise.all(request.body.feedback.map((item) => registry.find(item.card)));
      const links = request.body.feedback.map((item, index) => {
        const link = found[index];
        if (!link || link.serviceId !== serviceId || !deps.caseService) {
          throw new CdsError(
            'ARGMED_CDS_UNKNOWN_CARD',
            `Card "${item.card}" is not one this service answered recently (cards are remembered for 24 hours).`,
            `feedback[${index}].card`,
          );
        }
        return link;
      });
      let stored = 0;
      for (const [index, item] of request.body.feedback.entries()) {
        const feedback: CaseFeedback = { outcome: item.outcome, card: item.card, at: item.outcomeTimestamp };
        const reason = item.overrideReason;
        if (reason && (reason.reason || reason.userComment)) {
          const code = reason.reason?.code ?? 'unspecified';
          const display = reason.reason?.display ?? OVERRIDE_REASONS.find((r) => r.code === code)?.display;
          feedback.overrideReason = {
            code,
            ...(display ? { display } : {}),
            ...(reason.userComment ? { userComment: reason.userComment } : {}),
          };
        }
        if (!(await deps.caseService?.addFeedback(links[index].caseId, feedback))) continue;
        stored += 1;
        const why = feedback.overrideReason;
        if (item.outcome === 'overridden' && why && deps.caseService) {
          const text = [why.display ?? why.code, why.userComment].filter(Boolean).join(': ');
          await contestOverride(deps.caseService, links[index], text).catch((error) =>
            request.log.warn({ errorCode: (error as { code?: string }).code }, 'override not argued'),
          );
        }
      }
      return { stored };
    },
  );
}

/** The back-end and knowledge lookups: given, or built from the configuration. */
async function resolveReasoning(
  options: CdsHooksPluginOptions,
): Promise<{ backend: Backend; knowledge: CdsKnowledge }> {
  if (options.backend && options.knowledge) return { backend: options.backend, knowledge: options.knowledge };
  const kb = options.knowledgeBase ?? (await loadKnowledgeBase(knowledgeBasePath(options.config.knowledgePath)));
  const knowledge = options.knowledge ?? knowledgeLookup(indexKnowledgeBase(kb));
  // The knowledge back-end, whatever ARGMED_BACKEND says: an EHR waits about 500 ms, too short for a model.
  return { backend: options.backend ?? createKnowledgeBackend(kb), knowledge };
}
