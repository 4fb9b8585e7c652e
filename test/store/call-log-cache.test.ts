import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmCallRecord } from '../../agents/types.js';
import { createCallLogCache } from '../../src/store/call-log-cache.js';
import { insertCase } from '../../src/store/cases.repository.js';
import { listLlmCallsOfCase } from '../../src/store/llm-calls.repository.js';
import { DIALECTS, openTestStore, type TestStore } from './test-stores.js';

const AT = '2026-03-01T10:00:00.000Z';

function record(promptHash: string, overrides: Partial<LlmCallRecord> = {}): LlmCallRecord {
  return {
    role: 'generator',
    promptHash,
    model: 'local-model',
    tokensIn: 120,
    tokensOut: 40,
    latencyMs: 250.4,
    cached: false,
    attempts: 1,
    ...overrides,
  };
}

/** What an LLM back-end does with a cache: look up, pay on a miss, store. */
async function cachedCall(cache: ReturnType<typeof createCallLogCache>, key: string, pay: () => string) {
  const hit = await cache.get(key);
  if (hit !== undefined) return { answer: hit, cached: true };
  const answer = pay();
  await cache.set(key, answer, record(key));
  return { answer, cached: false };
}

describe.each(DIALECTS)('persistent call cache on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    for (const id of ['case-a', 'case-b']) {
      await insertCase(store.db, {
        id,
        status: 'running',
        input: '{}',
        attempts: 1,
        created_at: AT,
        updated_at: AT,
      });
    }
  });
  afterAll(async () => {
    await store.close();
  });

  it('a second identical call is served from the table, even through another connection', async () => {
    let paid = 0;
    const pay = () => {
      paid += 1;
      return `{"answer":${paid}}`;
    };
    const first = await cachedCall(createCallLogCache(store.db, { caseId: 'case-a' }), 'hash-1', pay);
    expect(first).toEqual({ answer: '{"answer":1}', cached: false });
    // Another process (a restarted server, a worker) on the same database.
    const other = await store.reopen();
    try {
      const second = await cachedCall(createCallLogCache(other.db, { caseId: 'case-b' }), 'hash-1', pay);
      expect(second).toEqual({ answer: '{"answer":1}', cached: true });
    } finally {
      await other.close();
    }
    expect(paid).toBe(1);
    const log = await listLlmCallsOfCase(store.db, 'case-a');
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      prompt_hash: 'hash-1',
      role: 'generator',
      model: 'local-model',
      tokens_in: 120,
      tokens_out: 40,
      latency_ms: 250,
      cached: 0,
      answer: '{"answer":1}',
    });
  });

  it('misses on another hash', async () => {
    const cache = createCallLogCache(store.db, { caseId: 'case-a' });
    expect(await cache.get('hash-unknown')).toBeUndefined();
  });

  it('unlogged: leaves out exactly the calls set() wrote, keeps hits and failures', async () => {
    const cache = createCallLogCache(store.db, { caseId: 'case-a' });
    {
      await cache.set('x', 'ax', record('x'));
      await cache.set('x', 'ax2', record('x'));
      const calls = [
        record('x'),
        record('x', { cached: true }),
        record('x'),
        record('x'),
        record('y', { error: 'timeout' }),
        record('z'),
      ];
      // Two `x` were written by set; the third uncached `x` and `z` never were (a back-end without cache).
      expect(cache.unlogged(calls)).toEqual([calls[1], calls[3], calls[4], calls[5]]);
    }
  });

  it('writes nothing once its signal aborted (the case was deleted)', async () => {
    const controller = new AbortController();
    const cache = createCallLogCache(store.db, { caseId: 'case-b', signal: controller.signal });
    controller.abort();
    await cache.set('hash-after-delete', 'a', record('hash-after-delete'));
    expect(await cache.get('hash-after-delete')).toBeUndefined();
  });
});
