/**
 * The producer side of the work queue: adds evaluation items and service cases as BullMQ jobs. Completed
 * jobs are removed (results live in the database); failed ones are kept a day for inspection.
 */
import { Queue } from 'bullmq';
import { connectionOf, DEFAULT_PREFIX, type ItemJobKey, jobIdOf, QUEUE_NAME, type QueueJob } from './queue-jobs.js';

export interface WorkQueue<Item extends ItemJobKey = ItemJobKey> {
  /** Adds evaluation jobs (in bulk); an item already waiting is not added twice. */
  enqueueItems(jobs: readonly Item[]): Promise<void>;
  /**
   * The case-service hook: run a stored case on a worker instead of in the API process. The worker calls
   * its `runCase` handler with the id; the case must already be stored (status `queued`). Adding a case that
   * is waiting or running is a no-op; one whose earlier job failed is enqueued afresh.
   */
  enqueueCase(caseId: string): Promise<void>;
  /** Jobs waiting, running, delayed (for progress and tests). */
  counts(): Promise<Record<string, number>>;
  /** Workers connected to this queue now (benchmarks wait for theirs before timing). */
  workers(): Promise<number>;
  /** Removes every job of this queue (tests). */
  obliterate(): Promise<void>;
  close(): Promise<void>;
}

export interface WorkQueueOptions {
  redisUrl: string;
  /** Redis key prefix (default `argmed`); one per deployment or test. */
  prefix?: string;
  /** Attempts of a job whose worker threw (a database outage); rate limits do not count. Default 5. */
  attempts?: number;
}

const BULK = 500;

/** Connects a producer. Cheap: one Redis connection. */
export function createWorkQueue<Item extends ItemJobKey = ItemJobKey>(options: WorkQueueOptions): WorkQueue<Item> {
  const queue = new Queue<QueueJob<Item>>(QUEUE_NAME, {
    connection: connectionOf(options.redisUrl),
    prefix: options.prefix ?? DEFAULT_PREFIX,
    defaultJobOptions: {
      attempts: options.attempts ?? 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: true,
      removeOnFail: { age: 24 * 3600 },
    },
  });
  // Connection errors surface on the calls that need Redis; an unhandled 'error' event would crash.
  queue.on('error', () => {});
  const add = (job: QueueJob<Item>) => ({ name: job.kind, data: job, opts: { jobId: jobIdOf(job) } });
  return {
    async enqueueItems(jobs) {
      for (let start = 0; start < jobs.length; start += BULK) {
        await queue.addBulk(jobs.slice(start, start + BULK).map((j) => add({ kind: 'eval-item', ...j })));
      }
    },
    async enqueueCase(caseId) {
      const jobId = jobIdOf({ kind: 'case', caseId });
      // A failed job is kept (for inspection) under the same id and would swallow the re-enqueue of recovery.
      const previous = await queue.getJob(jobId);
      if (previous && (await previous.isFailed())) await previous.remove();
      await queue.add('case', { kind: 'case', caseId }, { jobId });
    },
    counts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized'),
    workers: () => queue.getWorkersCount(),
    obliterate: () => queue.obliterate({ force: true }),
    close: () => queue.close(),
  };
}
