import { describe, expect, test } from 'vitest';
import { backoffDelay, parseRetryAfter, sleep } from '../../../agents/llm/backoff.js';
import { MemoryCallCache } from '../../../agents/llm/memory-cache.js';
import { promptHash } from '../../../agents/llm/prompt-hash.js';
import type { LlmCallRecord } from '../../../agents/types.js';

const policy = { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 60_000 };

describe('backoff', () => {
  test('grows exponentially, capped, with 50-100 % jitter', () => {
    expect(backoffDelay(0, policy, undefined, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, undefined, () => 1)).toBe(800);
    expect(backoffDelay(9, policy, undefined, () => 1)).toBe(1_000);
  });

  test('Retry-After wins, plus at most 10 %', () => {
    expect(backoffDelay(0, policy, 2_000, () => 0)).toBe(2_000);
    expect(backoffDelay(0, policy, 2_000, () => 1)).toBe(2_200);
  });

  test('reads seconds, milliseconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3_000);
    expect(parseRetryAfter('3', '250')).toBe(250);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const date = parseRetryAfter(new Date(Date.now() + 5_000).toUTCString()) ?? 0;
    expect(date).toBeGreaterThan(3_000);
    expect(date).toBeLessThanOrEqual(5_000);
  });

  test('sleep stops when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(sleep(10_000, controller.signal)).rejects.toThrow('stop');
  });
});

describe('prompt hash', () => {
  const messages = [{ role: 'user' as const, content: 'hello' }];
  test('depends on model, settings and messages, not on settings order', () => {
    const base = promptHash('m', { a: 1, b: 2 }, messages);
    expect(promptHash('m', { b: 2, a: 1 }, messages)).toBe(base);
    expect(promptHash('n', { a: 1, b: 2 }, messages)).not.toBe(base);
    expect(promptHash('m', { a: 1, b: 3 }, messages)).not.toBe(base);
    expect(promptHash('m', { a: 1, b: 2 }, [{ role: 'system', content: 'hello' }])).not.toBe(base);
  });
});

describe('memory cache', () => {
  const record = { promptHash: 'k', tokensIn: 1 } as LlmCallRecord;
  test('evicts the least recently used past its size', async () => {
    const cache = new MemoryCallCache(2);
    await cache.set('a', '1', record);
    await cache.set('b', '2', record);
    expect(await cache.get('a')).toBe('1');
    await cache.set('c', '3', record);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBe('1');
    expect(await cache.get('c')).toBe('3');
    expect(cache.size).toBe(2);
  });
});
