/**
 * The worker side of dispatched cases: `argmed worker` runs the cases an API process enqueued (REDIS_URL
 * set) through this runner, which is the case service's own run path (claim, deliberate, store events as
 * they come, store the result, graph and call log in one transaction, heartbeat while running). It neither
 * takes submissions nor sweeps for orphans: the API processes' recovery re-enqueues a case whose worker died.
 *
 * @example
 *   const runner = createCaseRunner({ db: store.db, backendFor });
 *   await runner.runCase(caseId); // a BullMQ job handler
 *   await runner.close();
 */
import { createCaseService } from './case-service.js';
import type { CaseServiceOptions } from './case-service-options.js';

export interface CaseRunner {
  /**
   * Runs one stored case by id; resolves when it is stored as finished. Safe on a retried job: a finished
   * case is not run again, a case a live process runs is left to it, a dead holder's case is taken over.
   * @throws `ARGMED_NOT_READY` once closing; store errors (the job is retried).
   */
  runCase(caseId: string): Promise<void>;
  /** Stops: running deliberations are cut short and handed back (`queued`) for recovery to re-enqueue. */
  close(): Promise<void>;
}

/** Creates a runner. `concurrency` should match the worker's job concurrency (default 4). */
export function createCaseRunner(
  options: Omit<CaseServiceOptions, 'dispatch' | 'sweepEveryMs'>,
): CaseRunner {
  const service = createCaseService({ ...options, sweepEveryMs: 0 });
  return { runCase: (caseId) => service.runStored(caseId), close: () => service.close() };
}
