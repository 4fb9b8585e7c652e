/**
 * Assembles the whole service from the configuration, without listening: opens the store and runs its
 * migrations, loads the schemes and the reasoning back-end, creates the case service (dispatching its cases to the Redis work queue when
 * REDIS_URL is set) (which re-runs or fails
 * cases a dead process left behind), and builds the HTTP app over it. `argmed serve`, the end-to-end tests
 * and the API benchmark all start the service through this one function.
 */
import type { Logger } from 'pino';
import { loadKnowledgeBase } from '../../agents/knowledge/load-knowledge-base.js';
import { loadSchemes } from '../../schemes/load.js';
import { knowledgeBasePath } from '../backends.js';
import { createCaseService } from '../cases/case-service.js';
import { backendForConfig } from '../cases/backend-for-config.js';
import type { CaseServiceOptions } from '../cases/case-service-options.js';
import type { CaseService } from '../cases/types.js';
import type { Config } from '../config.js';
import { createCaseEnqueuer } from '../queue/enqueue-case.js';
import { isReady } from '../store/is-ready.js';
import { migrateToLatest } from '../store/migrate-to-latest.js';
import { backfillFirstRevisions } from '../revisions/backfill-first-revisions.js';
import { type OpenStoreOptions, openStore, type Store } from '../store/open-store.js';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './build-app.js';
import { createLogger } from './logger.js';
import { createMetrics, recordFinishedCase } from './metrics.js';
import type { AppOptions } from './types.js';
import { connectSharedState } from '../shared-state/shared-state.js';

export interface StartServiceOptions {
  /** The logger (JSON to stdout at `config.logLevel` when absent). */
  logger?: Logger;
  /** Store options (tests isolate themselves in a PostgreSQL schema). */
  store?: OpenStoreOptions;
  /** Case service tuning (tests shorten the heartbeat and staleness intervals). */
  caseService?: Partial<Omit<CaseServiceOptions, 'db' | 'backendFor'>>;
  /** Redis key prefix of the work queue cases go to when `config.redisUrl` is set (default `argmed`). */
  queuePrefix?: string;
  /** App options to override (wait limit, heartbeat, pressure). */
  app?: Partial<Omit<AppOptions, 'config' | 'caseService' | 'schemes' | 'logger'>>;
}

/** A started (not yet listening) service. */
export interface RunningService {
  app: FastifyInstance;
  caseService: CaseService;
  store: Store;
  /** What recovery did at start. */
  recovered: { rerun: number; failed: number };
  /** Migrations applied at start (empty when the database was up to date). */
  migrated: string[];
  /** Finished cases that got their revision 1 at this start (finished before it was stored with the result). */
  backfilled: number;
  /** Stops the app, lets running deliberations stop, closes the database. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the service's parts in order: store, migrations, schemes and knowledge base, back-end, case service,
 * recovery, app.
 * @throws the store's, the scheme loader's or the back-end factory's errors (each names what to fix).
 */
export async function startService(
  config: Config,
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = await openStore(config, options.store);
  let closeEnqueuer = (): Promise<void> => Promise.resolve();
  // With REDIS_URL, replicas share rate limits, the CDS replay cache and card registry (src/shared-state).
  const sharedState = config.redisUrl ? await connectSharedState(config.redisUrl, options.queuePrefix ?? 'argmed') : undefined;
  const closeSharedState = async () => {
    await sharedState?.redis.quit().catch(() => sharedState.redis.disconnect());
  };
  try {
    const migrated = await migrateToLatest(store.db);
    const backfilled = await backfillFirstRevisions(store.db);
    const schemes = await loadSchemes(config.schemesDir);
    // Read once for the knowledge back-end and for CDS Hooks, which always argues with it.
    const knowledgeBase = await loadKnowledgeBase(knowledgeBasePath(config.knowledgePath));
    const backendFor = await backendForConfig(config, schemes, knowledgeBase);
    // With REDIS_URL, cases run on `argmed worker`s: this process stores, reads and streams them.
    const enqueuer = createCaseEnqueuer(config, options.queuePrefix);
    closeEnqueuer = () => enqueuer?.close() ?? Promise.resolve();
    const metrics = options.app?.metrics ?? createMetrics();
    const caseService = createCaseService({
      db: store.db,
      backendFor,
      logger: logger.child({ component: 'cases' }),
      onCaseFinished: (info) => recordFinishedCase(metrics, info.status, info.result),
      ...(enqueuer ? { dispatch: { enqueue: (caseId: string) => enqueuer.enqueueCase(caseId) } } : {}),
      ...options.caseService,
    });
    const recovered = await caseService.recoverInterrupted();
    const app = await buildApp({
      config,
      caseService,
      schemes: schemes.all(),
      knowledgeBase,
      logger,
      metrics,
      caseMetricsFromService: true,
      sharedState,
      ready: async () => {
        const readiness = await isReady(store.db);
        return {
          ready: readiness.ready,
          checks: { database: readiness.ready ? 'ok' : (readiness.reason ?? 'not ready') },
        };
      },
      ...options.app,
    });
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        await app.close();
        await caseService.close();
        await closeEnqueuer();
        await closeSharedState();
        await store.close();
      })();
      return closing;
    };
    return { app, caseService, store, recovered, migrated, backfilled, close };
  } catch (error) {
    await closeEnqueuer().catch(() => {});
    await closeSharedState();
    await store.close();
    throw error;
  }
}
