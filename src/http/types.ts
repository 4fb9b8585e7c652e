/**
 * Contracts of the HTTP edge: what the app is built from. Its route plugins (src/api, src/cds) depend on
 * `CaseService` (src/cases/types.ts) only, never on the store or the engine directly.
 */
import type { Logger } from 'pino';
import type { KnowledgeBase } from '../../agents/knowledge/types.js';
import type { Scheme } from '../../schemes/types.js';
import type { CaseService } from '../cases/types.js';
import type { CdsHooksPluginOptions } from '../cds/cds-hooks-plugin.js';
import type { Config } from '../config.js';
import type { ApiMetrics } from './metrics.js';
import type { SharedState } from '../shared-state/shared-state.js';

/** What `/readyz` reports; `ready: false` answers 503. */
export interface ReadyReport {
  ready: boolean;
  /** One entry a dependency, e.g. `{ database: 'ok', migrations: 'pending' }`. */
  checks: Record<string, string>;
}

/** Limits of the event loop and memory past which requests get 503 (see @fastify/under-pressure). */
export interface PressureLimits {
  maxEventLoopDelay: number;
  maxEventLoopUtilization: number;
  maxHeapUsedBytes: number;
  sampleInterval: number;
  retryAfterSeconds: number;
}

export interface AppOptions {
  config: Config;
  caseService: CaseService;
  /** Redis shared by replicas (rate limits, CDS replay cache and card registry); per process when absent. */
  sharedState?: SharedState;
  /** The loaded schemes (`loadSchemes()`), served by `/v1/schemes` and used by the view page and CDS Hooks. */
  schemes: readonly Scheme[];
  /** The knowledge base CDS Hooks argues with; read from `config.knowledgePath` when absent. */
  knowledgeBase?: KnowledgeBase;
  /** The pino logger (see `createLogger`); fastify's default JSON logger at `config.logLevel` when absent. */
  logger?: Logger;
  /** The readiness check of `/readyz` (database reachable, migrations done). Ready when absent. */
  ready?: () => Promise<ReadyReport>;
  /** Metrics registry; a fresh one when absent. */
  metrics?: ApiMetrics;
  /**
   * True when the case service reports finished cases itself (its `onCaseFinished` calls
   * `recordFinishedCase`); otherwise the routes follow each case they create to its end (default false).
   */
  caseMetricsFromService?: boolean;
  /** Longest a `?wait=true` request is held before answering 202 (default 30 s). */
  waitLimitMs?: number;
  /** Interval of SSE heartbeats (default 15 s). */
  heartbeatMs?: number;
  /**
   * Longest a request may take to arrive, headers and body (default 60 s); past it the answer is 408. Not a
   * limit on the answer: event streams and `?wait=true` run on.
   */
  requestTimeoutMs?: number;
  /** Overrides of the overload limits (tests lower them to provoke a 503). */
  pressure?: Partial<PressureLimits>;
  /** The CDS services' back-end, engine budgets and time budget, when not the defaults (the knowledge back-end
   * over the configured knowledge base, 450 ms): tests and benchmarks argue cards with another back-end. */
  cds?: Pick<CdsHooksPluginOptions, 'backend' | 'budgets' | 'timeBudgetMs' | 'warmUp'>;
}
