/**
 * Keeps the call-cache answers of a run's next jobs looked up ahead: whenever fewer than half a window of
 * the queued jobs have been prefetched, the next window's jobs not yet prefetched go in one query. At 32
 * items in flight and 100 ms a call, a window of 64 is asked for ~100 ms before its first item starts, so a
 * call finds its answer (or its absence) in memory instead of waiting for a round trip of its own.
 */
import type { ItemJob } from './process-item.js';

export interface PrefetchWindowOptions {
  /** Jobs looked up ahead at most. Default 64. */
  window?: number;
}

/**
 * @param queue the run's queue of jobs (read, never changed): its head is the next job to start.
 * @param keysOf the cache keys of the calls a job will make that can be known before it runs.
 * @param prefetch looks keys up (in the background).
 * @returns `advance`, called before each job is taken from the queue.
 */
export function prefetchWindow(
  queue: readonly ItemJob[],
  keysOf: (job: ItemJob) => string[],
  prefetch: (keys: string[]) => void,
  options: PrefetchWindowOptions = {},
): () => void {
  const window = Math.max(2, options.window ?? 64);
  // Jobs prefetched once are not again (a rate-limited job put back in front keeps its prefetch, or, once
  // taken, its own lookup).
  const sent = new WeakSet<ItemJob>();
  return () => {
    const edge = Math.min(window >> 1, queue.length - 1);
    if (edge < 0 || sent.has(queue[edge])) return;
    const keys: string[] = [];
    for (const job of queue.slice(0, window)) {
      if (sent.has(job)) continue;
      sent.add(job);
      keys.push(...keysOf(job));
    }
    if (keys.length > 0) prefetch(keys);
  };
}
