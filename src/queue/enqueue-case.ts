/**
 * The hook the case service can use to run its cases on the workers: with REDIS_URL set, `submit` stores
 * the case as `queued` and calls `enqueueCase(id)` instead of deliberating in the API process; an
 * `argmed worker` started with a `runCase` handler (`createCaseRunner` of src/cases) picks it up.
 * `startService` wires this when REDIS_URL is set.
 * Without REDIS_URL the hook is absent and the service keeps running cases in process.
 */
import type { Config } from '../config.js';
import { createWorkQueue } from './create-work-queue.js';

export interface CaseEnqueuer {
  /** Puts a stored case on the queue (once: a case already waiting is not added again). */
  enqueueCase(caseId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * @returns an enqueuer when `config.redisUrl` is set, otherwise undefined.
 * @example
 *   const queue = createCaseEnqueuer(config);
 *   if (queue) await queue.enqueueCase(record.id); else runInProcess(record.id);
 */
export function createCaseEnqueuer(config: Pick<Config, 'redisUrl'>, prefix?: string): CaseEnqueuer | undefined {
  if (!config.redisUrl) return undefined;
  const queue = createWorkQueue({ redisUrl: config.redisUrl, prefix });
  return { enqueueCase: (caseId) => queue.enqueueCase(caseId), close: () => queue.close() };
}
