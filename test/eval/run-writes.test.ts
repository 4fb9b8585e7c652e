/**
 * The in-process runner frees an item's slot once its answers are in hand and writes its result meanwhile
 * (run-evaluation.ts): the run still ends only after every write, and a result that cannot be stored fails
 * the run instead of being dropped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listItemResults } from '../../src/store/eval-items.repository.js';
import { prepareRun } from '../../src/eval/run/prepare-run.js';
import { runOrEnqueue } from '../../src/eval/run/run-or-enqueue.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { sqliteStore, testConfig } from './eval-harness.js';

let mock: MockOpenAI;
let FILE: string;

beforeAll(async () => {
  // Synthetic items in the generic format.
  FILE = join(mkdtempSync(join(tmpdir(), 'argmed-run-writes-')), 'items.jsonl');
  const items = Array.from({ length: 12 }, (_, i) =>
    JSON.stringify({ id: `w${i}`, facts: [`Patient ${i}`], question: `Which option ${i}?`, options: [{ id: 'A', text: 'one' }, { id: 'B', text: 'two' }], answer: 'A' }),
  );
  writeFileSync(FILE, `${items.join('\n')}\n`);
  mock = await startMockOpenAI({ respond: () => 'Answer: A', latencyMs: 5 });
});

afterAll(async () => {
  await mock?.close();
});

describe('in-process run and its writes', () => {
  it('returns only once every result is stored, with the progress of all of them', async () => {
    const { store, url } = await sqliteStore();
    try {
      const run = await prepareRun(store.db, { dataset: 'jsonl', file: FILE, methods: ['direct', 'cot'], model: 'writes-ok' });
      const seen: number[] = [];
      const progress = await runOrEnqueue(testConfig(url, mock.url), store.db, run, {
        concurrency: 3,
        onProgress: (p) => seen.push(p.done + p.failed),
      });
      const rows = await listItemResults(store.db, run.runId);
      expect(rows).toHaveLength(run.total);
      expect(progress.done + progress.failed).toBe(run.total);
      expect(progress.status).toBe('done');
      expect(Math.max(...seen)).toBe(run.total);
    } finally {
      await store.close();
    }
  });

  it('fails the run when a result cannot be stored, after the writes in flight have ended', async () => {
    const { store, url } = await sqliteStore();
    try {
      const run = await prepareRun(store.db, { dataset: 'jsonl', file: FILE, methods: ['direct'], model: 'writes-fail' });
      await sql`CREATE TRIGGER refuse_items BEFORE INSERT ON eval_items BEGIN SELECT RAISE(ABORT, 'no room for results'); END`.execute(store.db);
      const before = mock.requests.length;
      await expect(runOrEnqueue(testConfig(url, mock.url), store.db, run, { concurrency: 2 })).rejects.toThrow(/no room for results/);
      expect(await listItemResults(store.db, run.runId)).toHaveLength(0);
      // It stopped taking items after the first failed write: not every item was sent.
      expect(mock.requests.length - before).toBeLessThan(run.total);
    } finally {
      await store.close();
    }
  });
});
