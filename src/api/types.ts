/**
 * Contracts of the HTTP API plugin (`/v1`, health, metrics, view assets): what it is mounted with and what
 * each of its route plugins receives. Routes depend on `CaseService` (src/cases/types.ts) only, never on the
 * store or the engine directly.
 */
import type { Scheme } from '../../schemes/types.js';
import type { CaseService } from '../cases/types.js';
import type { Config } from '../config.js';
import type { ViewLinks } from '../view/index.js';
import type { ApiMetrics } from '../http/metrics.js';
import type { ReadyReport } from '../http/types.js';

/** What every route plugin receives. */
export interface RouteContext {
  caseService: CaseService;
  schemes: readonly Scheme[];
  metrics: ApiMetrics;
  waitLimitMs: number;
  heartbeatMs: number;
  /** Whether routes follow created cases to count their outcome in the metrics. */
  watchCases: boolean;
  ready?: () => Promise<ReadyReport>;
  /** Signs the graph-page links the API hands out and checks those a browser opens. */
  viewLinks: ViewLinks;
  /** Whether API keys are configured (the graph page's contribution form then asks for one). */
  apiKeyRequired?: boolean;
}

/** Options of `apiPlugin`: the route context and the configuration (API keys, rate limit). */
export interface ApiPluginOptions extends RouteContext {
  config: Config;
}
