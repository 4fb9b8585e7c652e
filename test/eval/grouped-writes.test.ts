/**
 * Grouped statements of a run (group commit): results and call-cache rows of the items in flight share one
 * statement, each caller still gets its own answer, and the idempotent rules of a single write hold inside
 * a batch (a `done` row is kept, a `failed` one replaced, one row twice in a batch). On SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LlmCallRecord } from '../../agents/types.js';
import { createBatchedCallCache } from '../../src/eval/run/batched-call-cache.js';
import { listItemResults, saveItemResults } from '../../src/store/eval-items.repository.js';
import { insertRunIfAbsent } from '../../src/store/eval-runs.repository.js';
import type { NewEvalItemRow } from '../../src/store/eval-items.table.js';
import { groupCommit } from '../../src/eval/run/group-commit.js';
import { itemWriter } from '../../src/eval/run/item-writer.js';
import { RunSpecSchema } from '../../src/eval/types.js';
import { DIALECTS, openTestStore, type TestStore } from '../store/test-stores.js';

describe('groupCommit', () => {
  test('units handed in together go in one batch; each caller gets its own answer', async () => {
    const batches: number[][] = [];
    const double = groupCommit(async (units: number[]) => {
      batches.push(units);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return units.map((u) => u * 2);
    });
    const first = await Promise.all([1, 2, 3].map(double));
    expect(first).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
    // Units arriving while a batch is in flight wait for the next one, together.
    const a = double(10);
    // The batch of 10 leaves after this turn of the event loop (setImmediate): wait until it has.
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toHaveLength(2);
    const rest = [11, 12].map(double);
    expect(await Promise.all([a, ...rest])).toEqual([20, 22, 24]);
    expect(batches.slice(1)).toEqual([[10], [11, 12]]);
  });

  test('a failing batch is sent again unit by unit: only the bad unit fails', async () => {
    const sent: number[][] = [];
    const check = groupCommit(async (units: number[]) => {
      sent.push(units);
      if (units.includes(13)) throw new Error('unlucky');
      return units;
    });
    const results = await Promise.allSettled([12, 13, 14].map(check));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(sent).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  test('maxBatch bounds a batch', async () => {
    const sizes: number[] = [];
    const echo = groupCommit(
      async (units: number[]) => {
        sizes.push(units.length);
        return units;
      },
      { maxBatch: 4 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => echo(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });

  test('parallel lets a unit leave while another batch is in flight (lookups), up to the limit', async () => {
    let inFlight = 0;
    let most = 0;
    const batches: number[][] = [];
    const slow = groupCommit(
      async (units: number[]) => {
        batches.push(units);
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return units;
      },
      { parallel: 2 },
    );
    const a = slow(1);
    await new Promise((resolve) => setImmediate(resolve));
    const b = slow(2);
    await new Promise((resolve) => setImmediate(resolve));
    // Two batches in flight: the third unit waits for one of them to finish.
    const c = slow(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2]]);
    expect(await Promise.all([a, b, c])).toEqual([1, 2, 3]);
    expect(batches).toEqual([[1], [2], [3]]);
    expect(most).toBe(2);
  });

  test("gather 'microtask': a unit leaves once the current code yields, before the end of the turn", async () => {
    const batches: number[][] = [];
    const echo = groupCommit(
      async (units: number[]) => {
        batches.push(units);
        return units;
      },
      { parallel: 2, gather: 'microtask' },
    );
    const a = echo(1);
    const b = echo(2);
    await Promise.resolve();
    // Handed in by the same synchronous code: one batch, sent without waiting for setImmediate.
    expect(batches).toEqual([[1, 2]]);
    expect(await Promise.all([a, b])).toEqual([1, 2]);
  });
});

const spec = RunSpecSchema.parse({ dataset: 'jsonl', file: 'x.jsonl', methods: ['direct'], model: 'm' });

function row(itemKey: string, status: 'done' | 'failed', predicted: string): NewEvalItemRow {
  return {
    run_id: 'run-1',
    item_key: itemKey,
    method: 'direct',
    status,
    gold: 'A',
    predicted,
    correct: predicted === 'A' ? 1 : 0,
    calls: 1,
    tokens_in: 3,
    tokens_out: 1,
    latency_ms: 100,
    error: status === 'failed' ? 'ARGMED_LLM_UNAVAILABLE: x' : null,
    case_id: null,
    outcome: null,
    finished_at: new Date().toISOString(),
  };
}

describe.each(DIALECTS)('grouped writes on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    await insertRunIfAbsent(store.db, { id: 'run-1', spec, total: 10, problems: [] });
  });
  afterAll(async () => store.close());

  test('saveItemResults keeps done rows, replaces failed ones, and handles one row twice in a batch', async () => {
    const edb = store.db;
    expect(await saveItemResults(edb, [row('a', 'done', 'A'), row('b', 'failed', '-')])).toEqual([true, true]);
    const second = await saveItemResults(edb, [
      row('a', 'done', 'B'), // done before: kept
      row('b', 'done', 'B'), // failed before: replaced
      row('c', 'failed', '-'),
      row('c', 'done', 'A'), // the same row twice in one batch: the failed one, then replaced
      row('d', 'done', 'A'),
      row('d', 'done', 'B'), // twice, both done: the first stays
    ]);
    expect(second).toEqual([false, true, true, true, true, false]);
    const stored = Object.fromEntries(
      (await listItemResults(edb, 'run-1')).map((r) => [r.item_key, [r.status, r.predicted]]),
    );
    expect(stored).toEqual({ a: ['done', 'A'], b: ['done', 'B'], c: ['done', 'A'], d: ['done', 'A'] });
  });

  test('the item writer stores concurrent results, each reported once', async () => {
    const write = itemWriter(store.db);
    const keys = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const written = await Promise.all([...keys, 'w0'].map((k) => write(row(k, 'done', 'A'))));
    expect(written.filter(Boolean)).toHaveLength(40);
    const rows = await listItemResults(store.db, 'run-1');
    expect(rows.filter((r) => r.item_key.startsWith('w'))).toHaveLength(40);
  });

  test('the batched call cache serves what it stored, to concurrent callers', async () => {
    const cache = createBatchedCallCache(store.db);
    const record = (hash: string): LlmCallRecord => ({
      role: 'baseline',
      promptHash: hash,
      model: 'm',
      tokensIn: 3,
      tokensOut: 1,
      latencyMs: 100,
      cached: false,
      attempts: 1,
    });
    const hashes = Array.from({ length: 30 }, (_, i) => `${dialect}-hash-${i}`);
    expect(await Promise.all(hashes.map((h) => cache.get(h)))).toEqual(hashes.map(() => undefined));
    await Promise.all(hashes.map((h) => cache.set(h, `answer ${h}`, record(h))));
    // Served at once by the cache that was told, stored for everyone else once flushed.
    expect(await cache.get(hashes[0])).toBe(`answer ${hashes[0]}`);
    await cache.flushed();
    const again = createBatchedCallCache(store.db);
    expect(await Promise.all(hashes.map((h) => again.get(h)))).toEqual(hashes.map((h) => `answer ${h}`));
  });

  test('a prefetched key is served from the prefetch once, without a lookup of its own; set overrides its absence', async () => {
    const record = (hash: string): LlmCallRecord => ({
      role: 'baseline',
      promptHash: hash,
      model: 'm',
      tokensIn: 3,
      tokensOut: 1,
      latencyMs: 100,
      cached: false,
      attempts: 1,
    });
    const [stored, absent, mine] = ['stored', 'absent', 'mine'].map((k) => `${dialect}-prefetch-${k}`);
    const other = createBatchedCallCache(store.db); // another process
    await other.set(stored, 'Answer: B', record(stored));
    await other.flushed();
    const cache = createBatchedCallCache(store.db);
    cache.prefetch([stored, absent, mine]);
    expect(await cache.get(stored)).toBe('Answer: B');
    // Stored elsewhere after the prefetch: its absence is served (the documented trade-off: one more
    // payment), which shows that the get asked the prefetch, not the database; the next get asks again.
    await other.set(absent, 'Answer: A', record(absent));
    await other.flushed();
    expect(await cache.get(absent)).toBeUndefined();
    expect(await cache.get(absent)).toBe('Answer: A');
    // Stored by this cache after the prefetch: never served as absent.
    await cache.set(mine, 'Answer: C', record(mine));
    expect(await cache.get(mine)).toBe('Answer: C');
    await cache.flushed();
    expect(await cache.get(mine)).toBe('Answer: C');
  });

  test('an item result is stored no earlier than the answers handed to the cache before it', async () => {
    const cache = createBatchedCallCache(store.db);
    const hash = `${dialect}-ordered`;
    await cache.set(hash, 'Answer: A', {
      role: 'baseline',
      promptHash: hash,
      model: 'm',
      tokensIn: 3,
      tokensOut: 1,
      latencyMs: 100,
      cached: false,
      attempts: 1,
    });
    expect(await itemWriter(store.db)(row('ordered', 'done', 'A'))).toBe(true);
    // No flush awaited: the item's batch (or an earlier one) carried the call row.
    expect(await createBatchedCallCache(store.db).get(hash)).toBe('Answer: A');
  });
});
