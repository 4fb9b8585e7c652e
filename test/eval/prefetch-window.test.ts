import { describe, expect, test } from 'vitest';
import { prefetchWindow } from '../../src/eval/run/prefetch-window.js';
import type { ItemJob } from '../../src/eval/run/process-item.js';

function jobs(count: number): ItemJob[] {
  return Array.from({ length: count }, (_, i) => ({ runId: 'r', item: { key: `k${i}` }, method: 'direct' }) as unknown as ItemJob);
}

describe('prefetchWindow', () => {
  test('looks up the first window at once, then the next jobs whenever half a window is left, each job once', () => {
    const queue = jobs(100);
    const batches: string[][] = [];
    const advance = prefetchWindow(queue, (job) => [job.item.key], (keys) => batches.push(keys), { window: 8 });
    const taken: string[] = [];
    const seenAtStart: number[] = [];
    while (queue.length > 0) {
      advance();
      const job = queue.shift()!;
      taken.push(job.item.key);
      seenAtStart.push(batches.flat().length);
      // Every job started was prefetched before it was taken.
      expect(batches.flat()).toContain(job.item.key);
    }
    expect(batches[0]).toEqual(Array.from({ length: 8 }, (_, i) => `k${i}`));
    expect(batches[1]).toEqual(['k8', 'k9', 'k10', 'k11']);
    expect(batches.flat()).toEqual(taken);
    // Never more than a window ahead of the job being taken.
    for (const [i, count] of seenAtStart.entries()) expect(count).toBeLessThanOrEqual(i + 8);
  });

  test('a job put back in front is not prefetched again; no keys, no query', () => {
    const queue = jobs(3);
    const batches: string[][] = [];
    const advance = prefetchWindow(queue, (job) => (job.item.key === 'k1' ? [] : [job.item.key]), (keys) => batches.push(keys));
    advance();
    const job = queue.shift()!;
    queue.unshift(job);
    advance();
    expect(batches).toEqual([['k0', 'k2']]);
    const none: string[][] = [];
    const empty = prefetchWindow(jobs(2), () => [], (keys) => none.push(keys));
    empty();
    expect(none).toEqual([]);
  });
});
