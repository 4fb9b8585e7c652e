/**
 * The hook the case service can use to run its cases on the workers: with REDIS_URL set, `submit` stores
 * the case as `queued` and calls `enqueueCase(id)` instead of deliberating in the API process; an
 * `argmed worker` started with a `runCase` handler (`createCaseRunner` of src/cases) picks it up.
 * `startService` wires this when REDIS_URL is set.
 * Without REDIS_URL the hook is absent and the service keeps running cases in process.
 */
import type { Config } from '../config.js';

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
  const redisUrl = config.redisUrl;
  // The queue module (bullmq) is imported only with REDIS_URL: the service imports this file at every start.
  const queue = import('./create-work-queue.js').then(({ createWorkQueue }) => createWorkQueue({ redisUrl, prefix }));
  return {
    enqueueCase: async (caseId) => (await queue).enqueueCase(caseId),
    close: async () => (await queue).close(),
  };
}
