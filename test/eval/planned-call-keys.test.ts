/**
 * The keys a run prefetches are the keys the baselines' calls are cached under: otherwise a prefetch would
 * only cost a query and every call would still wait for its own lookup.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { plannedCallKeys, runMethod } from '../../src/eval/methods/run-method.js';
import { createMethodContext } from '../../src/eval/run/create-method-context.js';
import { prepareRun } from '../../src/eval/run/prepare-run.js';
import type { Store } from '../../src/store/open-store.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { sqliteStore, testConfig } from './eval-harness.js';

let store: Store;
let dbUrl: string;
let mock: MockOpenAI;

beforeAll(async () => {
  ({ store, url: dbUrl } = await sqliteStore());
  mock = await startMockOpenAI({ respond: () => 'Answer: A' });
});

afterAll(async () => {
  await mock?.close();
  await store?.close();
});

describe('plannedCallKeys', () => {
  test.each(['direct', 'cot', 'self-consistency'] as const)('%s: the keys of the calls the method makes, in order', async (method) => {
    const run = await prepareRun(store.db, {
      dataset: 'jsonl',
      file: join(import.meta.dirname, 'fixtures', 'generic.jsonl'),
      methods: [method],
      selfConsistency: { k: 3, temperature: 0.7 },
      predictability: true,
    });
    const ctx = await createMethodContext(testConfig(dbUrl, mock.url), run.spec, store.db, 2);
    const item = run.items[0];
    const planned = plannedCallKeys(method, item, ctx);
    const outcome = await runMethod(method, item, ctx);
    // The evaluator's call (predictability) reads the answer: not planned, and made after the method's.
    const made = outcome.calls.filter((c) => c.role !== 'evaluator').map((c) => c.promptHash);
    expect(planned).toHaveLength(method === 'self-consistency' ? 3 : 1);
    expect([...planned].sort()).toEqual([...made].sort());
    expect(plannedCallKeys('argmed', item, ctx)).toEqual([]);
  });
});
