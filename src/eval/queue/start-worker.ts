/**
 * The consumer side (`argmed worker`): processes evaluation items and service cases from the queue, with a
 * per-process concurrency and a global rate limit shared by every worker on the queue (BullMQ's limiter
 * lives in Redis). A job whose worker dies is found stalled when its lock expires and handed to another
 * worker; `processItem` is idempotent, and the persistent call cache serves any answer the dead worker had
 * already paid for, so nothing is lost or counted twice. A 429 from the model endpoint pauses the whole
 * queue (`rateLimit`) and puts the job back without using up an attempt.
 */
import { type Job, Worker } from 'bullmq';
import type { Config } from '../../config.js';
import type { Db } from '../../store/database.js';
import { isRateLimit } from '../errors.js';
import type { MethodContext } from '../methods/run-method.js';
import { createMethodContext } from '../run/create-method-context.js';
import { findRun } from '../../store/eval-runs.repository.js';
import { processItem } from '../run/process-item.js';
import { RunSpecSchema } from '../types.js';
import { connectionOf, DEFAULT_PREFIX, QUEUE_NAME, type QueueJob } from '../../queue/queue-jobs.js';
import type { ItemJob } from '../run/process-item.js';

export interface WorkerOptions {
  config: Config;
  db: Db;
  redisUrl: string;
  prefix?: string;
  /** Jobs processed at once by this process (default 8). */
  concurrency?: number;
  /** Global limit: at most `max` jobs started per `durationMs`, across all workers. */
  rateLimit?: { max: number; durationMs: number };
  /** Runs one stored case of the service (the case service's runner); case jobs fail without it. */
  runCase?: (caseId: string) => Promise<void>;
  /** Lock of a running job; a dead worker's job is retried after about this long (default 30 s). */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for (default: lockDurationMs / 2). */
  stalledIntervalMs?: number;
  /** Pause of the queue after a 429 without Retry-After (default 2 s). */
  rateLimitPauseMs?: number;
  /** Builds the method context of a run (tests inject a counting one); default `createMethodContext`. */
  contextFor?: (runId: string) => Promise<MethodContext>;
}

export interface RunningWorker {
  worker: Worker<QueueJob<ItemJob>>;
  /** Finishes the jobs in hand, then stops. */
  close(): Promise<void>;
}

/**
 * Whether BullMQ delivers this job again (a worker died holding it, it threw, or it was put back after a
 * rate limit): only then can its item already be done, and it is looked up before running. A first
 * delivery was enqueued as pending (`pendingJobs`); the query a job it would cost is saved. Should a
 * duplicate slip through anyway (a run resumed while its jobs are in flight), the call cache serves its
 * answers and the insert keeps the `done` row: nothing is paid or counted twice.
 */
function wasStartedBefore(job: Job<QueueJob<ItemJob>>): boolean {
  return (job.attemptsStarted ?? 0) > 1 || (job.attemptsMade ?? 0) > 0 || (job.stalledCounter ?? 0) > 0;
}

/**
 * Starts a worker.
 * @throws when a job's run is unknown (the job fails, and is kept for inspection).
 */
export function startWorker(options: WorkerOptions): RunningWorker {
  const concurrency = options.concurrency ?? 8;
  const contexts = new Map<string, Promise<MethodContext>>();
  const contextFor =
    options.contextFor ??
    (async (runId: string) => {
      const run = await findRun(options.db, runId);
      if (!run) throw new Error(`argmed/eval: job of unknown run ${runId}`);
      return createMethodContext(options.config, RunSpecSchema.parse(JSON.parse(run.spec)), options.db, concurrency);
    });
  const lockDuration = options.lockDurationMs ?? 30_000;

  async function processJob(job: Job<QueueJob<ItemJob>>): Promise<string> {
    const data = job.data;
    if (data.kind === 'case') {
      if (!options.runCase) throw new Error('argmed/eval: this worker has no case runner');
      await options.runCase(data.caseId);
      return 'case';
    }
    let ctx = contexts.get(data.runId);
    if (!ctx) {
      ctx = contextFor(data.runId);
      contexts.set(data.runId, ctx);
      ctx.catch(() => contexts.delete(data.runId));
    }
    try {
      const outcome = await processItem(options.db, data, await ctx, wasStartedBefore(job));
      return outcome.kind;
    } catch (error) {
      if (!isRateLimit(error)) throw error;
      const after = (error as { retryAfterMs?: number }).retryAfterMs;
      await worker.rateLimit(after ?? options.rateLimitPauseMs ?? 2000);
      // Back to waiting, attempts untouched (BullMQ's documented way to honour an external rate limit).
      throw Worker.RateLimitError();
    }
  }

  const worker = new Worker<QueueJob<ItemJob>>(QUEUE_NAME, processJob, {
    connection: connectionOf(options.redisUrl),
    prefix: options.prefix ?? DEFAULT_PREFIX,
    concurrency,
    limiter: options.rateLimit ? { max: options.rateLimit.max, duration: options.rateLimit.durationMs } : undefined,
    lockDuration,
    stalledInterval: options.stalledIntervalMs ?? Math.max(500, Math.floor(lockDuration / 2)),
    maxStalledCount: 10,
  });
  worker.on('error', () => {});
  return { worker, close: () => worker.close() };
}
