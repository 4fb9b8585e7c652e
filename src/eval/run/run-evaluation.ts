/**
 * The in-process runner: every item × method of a prepared run not yet `done`, at most `concurrency` at a
 * time behind an adaptive rate gate (a 429 halves the concurrency and pauses, then it climbs back), each
 * result handed to the writer as it finishes. Stopping it at any point (Ctrl-C, a crash, SIGKILL) loses only
 * the items in flight and the results not yet committed (see `maxUnstored`); running it again continues, and
 * the persistent call cache serves any answer already stored.
 */
import type { Db } from '../../store/database.js';
import { isRateLimit } from '../errors.js';
import { type MethodContext, plannedCallKeys } from '../methods/run-method.js';
import type { MethodName, RunProgress } from '../types.js';
import { findDonePairs, pairKey } from '../../store/eval-items.repository.js';
import { setRunStatus } from '../../store/eval-runs.repository.js';
import type { PreparedRun } from './prepare-run.js';
import { prefetchWindow } from './prefetch-window.js';
import { type ItemDisposition, type ItemJob, runItem, storeFailure, storeItem } from './process-item.js';
import { createRateGate } from './rate-gate.js';
import { readProgress } from './read-progress.js';

export interface RunOptions {
  concurrency: number;
  /** Called after every stored item, with totals over the whole run (earlier sessions included). */
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
  /** Rate-limit retries of one item before it is stored as failed (default 1000: effectively never). */
  maxRateLimitRetries?: number;
}

/** The jobs of a run that are not done yet, item by item (all methods of an item together). */
export async function pendingJobs(db: Db, run: PreparedRun): Promise<ItemJob[]> {
  const done = await findDonePairs(db, run.runId);
  const jobs: ItemJob[] = [];
  for (const item of run.items) {
    for (const method of run.spec.methods as MethodName[]) {
      if (!done.has(pairKey(item.key, method))) jobs.push({ runId: run.runId, item, method });
    }
  }
  return jobs;
}

function retryAfterOf(error: unknown): number | undefined {
  const ms = (error as { retryAfterMs?: unknown })?.retryAfterMs;
  return typeof ms === 'number' ? ms : undefined;
}

/**
 * Runs the pending jobs of `run`.
 * @returns the progress at the end (status `done` when every pair has a result).
 * @throws only for a database failure or cancellation; item errors are stored as `failed` results.
 */
export async function runEvaluation(db: Db, run: PreparedRun, ctx: MethodContext, options: RunOptions): Promise<RunProgress> {
  const edb = db;
  await setRunStatus(edb, run.runId, 'running');
  const queue = await pendingJobs(db, run);
  const gate = createRateGate({ max: options.concurrency });
  const rateLimited = new Map<ItemJob, number>();
  const maxRetries = options.maxRateLimitRetries ?? 1000;
  // Status given: the run row was just set to running, so only the counts are read (one query, not two).
  let progress = await readProgress(db, run.runId, run.total, 'running');
  options.onProgress?.(progress);

  // Results handed to the writer and not yet committed. An item's slot is freed as soon as its answers are
  // in hand, while its result is being written: the next item's cache lookup and request start at once
  // instead of after a commit (a commit of a group of results takes a few ms on PostgreSQL, ~5% of a run
  // at 32 in flight). The trade-off: a crash (SIGKILL) now loses the answers of the items in flight AND
  // of the results not yet committed, which a resumed run pays again: at most `concurrency` requests in
  // flight plus at most `maxUnstored` results waiting (below), where it was at most `concurrency`; in practice
  // the answers of one commit (a few ms). On SQLite nothing changes: its write runs in the turn the result
  // is handed over (setImmediate), before the next item's lookup and request can leave. Every
  // result is still handed to the writer the moment its item finishes, the call rows of its answers go
  // in the same batch or an earlier one (item-writer.ts), and the run ends only once every write is done.
  const unstored = new Set<Promise<void>>();
  const maxUnstored = Math.max(1, options.concurrency);
  let writeFailure: { error: unknown } | undefined;

  function store(write: Promise<ItemDisposition>): void {
    const done: Promise<void> = write
      .then((outcome) => {
        if (outcome.kind !== 'stored' || !outcome.written) return;
        progress = addResult(progress, outcome.result);
        options.onProgress?.(progress);
      })
      .catch((error: unknown) => {
        writeFailure ??= { error };
      })
      .finally(() => unstored.delete(done));
    unstored.add(done);
  }

  // The cache answers of the next jobs' calls, looked up ahead in one query (batched-call-cache.ts).
  const prefetch = ctx.prefetch;
  const advance = prefetch
    ? prefetchWindow(queue, (job) => plannedCallKeys(job.method, job.item, ctx), prefetch)
    : () => {};

  // A rate-limited job goes back to the queue, so an idle worker exits only when the queue is empty and
  // no job is in flight (one in flight may still come back).
  let inFlight = 0;
  async function worker(): Promise<void> {
    for (;;) {
      // Back-pressure: a database slower than the model does not let unstored answers pile up.
      while (unstored.size >= maxUnstored && !writeFailure) await Promise.race(unstored);
      if (options.signal?.aborted || writeFailure) return;
      advance();
      const job = queue.shift();
      if (!job) {
        if (inFlight === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      inFlight++;
      try {
        await runJob(job);
      } finally {
        inFlight--;
      }
    }
  }

  async function runJob(job: ItemJob): Promise<void> {
    const release = await gate.acquire(options.signal);
    try {
      const finished = await runItem(job, { ...ctx, signal: options.signal });
      gate.succeeded();
      store(storeItem(db, finished));
    } catch (error) {
      if (!isRateLimit(error) || options.signal?.aborted) throw error;
      const tries = (rateLimited.get(job) ?? 0) + 1;
      rateLimited.set(job, tries);
      gate.slowDown(retryAfterOf(error));
      // Back to the front of the queue: retried as soon as the gate lets anything through again.
      if (tries <= maxRetries) queue.unshift(job);
      else if (await storeFailure(db, job, error)) progress = await readProgress(db, run.runId, run.total, 'running');
    } finally {
      release();
    }
  }

  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, () => worker()));
  } finally {
    // Whatever ended the workers, every result handed over is written (or has failed) before returning.
    while (unstored.size > 0) await Promise.all(unstored);
  }
  if (writeFailure) throw writeFailure.error;
  progress = await readProgress(db, run.runId, run.total, 'running');
  if (progress.done + progress.failed >= run.total && !options.signal?.aborted) {
    await setRunStatus(edb, run.runId, 'done');
    progress = { ...progress, status: 'done' };
  }
  options.onProgress?.(progress);
  return progress;
}

function addResult(p: RunProgress, r: { method: string; status: string; correct: boolean; tokensIn: number; tokensOut: number }): RunProgress {
  const m = p.perMethod[r.method] ?? { done: 0, failed: 0, correct: 0 };
  const failed = r.status === 'failed';
  return {
    ...p,
    done: p.done + (failed ? 0 : 1),
    failed: p.failed + (failed ? 1 : 0),
    correct: p.correct + (r.correct ? 1 : 0),
    tokensIn: p.tokensIn + r.tokensIn,
    tokensOut: p.tokensOut + r.tokensOut,
    perMethod: {
      ...p.perMethod,
      [r.method]: { done: m.done + (failed ? 0 : 1), failed: m.failed + (failed ? 1 : 0), correct: m.correct + (r.correct ? 1 : 0) },
    },
  };
}
