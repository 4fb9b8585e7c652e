/**
 * Prometheus metrics of the service, in a registry of its own (so several apps in one process, as in tests,
 * do not collide): request durations, cases by status, LLM calls and tokens, deliberation durations.
 * Case outcomes are recorded when a case finishes (see `recordFinishedCase`).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CaseStatus } from '../cases/types.js';
import type { DeliberationResult } from '../engine/types.js';

/** The metrics an app records; created once per app. */
export interface ApiMetrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  casesSubmitted: Counter;
  casesFinished: Counter<'status'>;
  casesInFlight: Gauge;
  llmCalls: Counter<'role' | 'cached'>;
  llmTokens: Counter<'direction'>;
  deliberationDuration: Histogram<'status'>;
}

/**
 * Creates the registry and its metrics.
 * @param withDefaults also collect the process metrics (CPU, memory, event loop); off in tests for speed.
 */
export function createMetrics(withDefaults = true): ApiMetrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'argmed_' });
  const registers = [registry];
  return {
    registry,
    requestDuration: new Histogram({
      name: 'argmed_http_request_duration_seconds',
      help: 'HTTP request durations by method, route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    casesSubmitted: new Counter({ name: 'argmed_cases_submitted_total', help: 'Cases created', registers }),
    casesFinished: new Counter({
      name: 'argmed_cases_finished_total',
      help: 'Cases that ended, by final status',
      labelNames: ['status'],
      registers,
    }),
    casesInFlight: new Gauge({
      name: 'argmed_cases_in_flight',
      help: 'Cases submitted through this process that are queued or running',
      registers,
    }),
    llmCalls: new Counter({
      name: 'argmed_llm_calls_total',
      help: 'Model calls made by deliberations, by role and whether the cache answered',
      labelNames: ['role', 'cached'],
      registers,
    }),
    llmTokens: new Counter({
      name: 'argmed_llm_tokens_total',
      help: 'Model tokens used by deliberations, by direction (in or out)',
      labelNames: ['direction'],
      registers,
    }),
    deliberationDuration: new Histogram({
      name: 'argmed_deliberation_duration_seconds',
      help: 'Wall time of finished deliberations, by final status',
      labelNames: ['status'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300],
      registers,
    }),
  };
}

/**
 * Records a finished case: its status, wall time, model calls and tokens. Called by the routes for the cases
 * they saw submitted, or by the case service's `onCaseFinished` hook (then for every case, recovered ones too).
 */
export function recordFinishedCase(
  metrics: ApiMetrics,
  status: CaseStatus,
  result: DeliberationResult | undefined,
): void {
  metrics.casesFinished.inc({ status });
  if (!result) return;
  metrics.deliberationDuration.observe({ status }, result.usage.wallMs / 1000);
  for (const call of result.calls) metrics.llmCalls.inc({ role: call.role, cached: String(call.cached) });
  if (result.usage.tokensIn > 0) metrics.llmTokens.inc({ direction: 'in' }, result.usage.tokensIn);
  if (result.usage.tokensOut > 0) metrics.llmTokens.inc({ direction: 'out' }, result.usage.tokensOut);
}
