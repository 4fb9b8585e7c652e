/**
 * Executes a prepared run where the configuration says: in this process by default, or on the BullMQ
 * queue when a Redis URL is given (items become jobs for `argmed worker` processes; this process only
 * enqueues and watches the stored results).
 */
import type { Config } from '../../config.js';
import type { Db } from '../../store/database.js';
import { waitForRun } from './wait-for-run.js';
import type { RunProgress } from '../types.js';
import { createMethodContext } from './create-method-context.js';
import type { PreparedRun } from './prepare-run.js';
import type { ItemJob } from './process-item.js';
import { pendingJobs, runEvaluation } from './run-evaluation.js';

export interface ExecuteOptions {
  concurrency: number;
  /** Use the queue at this Redis URL (else in-process). */
  redisUrl?: string;
  queuePrefix?: string;
  onProgress?: (progress: RunProgress) => void;
  /** Told once the items are on the queue (how many). */
  onEnqueued?: (count: number) => void;
  signal?: AbortSignal;
}

/** Runs (or enqueues and waits for) the pending items of `run`. */
export async function runOrEnqueue(config: Config, db: Db, run: PreparedRun, options: ExecuteOptions): Promise<RunProgress> {
  if (!options.redisUrl) {
    const ctx = await createMethodContext(config, run.spec, db, options.concurrency);
    return runEvaluation(db, run, ctx, options);
  }
  // bullmq is imported only when a run goes to the queue (REDIS_URL); a plain `argmed serve` never loads it.
  const { createWorkQueue } = await import('../../queue/create-work-queue.js');
  const queue = createWorkQueue<ItemJob>({ redisUrl: options.redisUrl, prefix: options.queuePrefix });
  try {
    const jobs = await pendingJobs(db, run);
    await queue.enqueueItems(jobs);
    options.onEnqueued?.(jobs.length);
    return await waitForRun(db, run.runId, { total: run.total, onProgress: options.onProgress, signal: options.signal });
  } finally {
    await queue.close();
  }
}
