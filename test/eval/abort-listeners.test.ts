/**
 * Regression: a run at concurrency 8 with self-consistency printed MaxListenersExceededWarning, because every
 * model call (each attempt, each wait for a slot, each backoff) added its own `abort` listener to the run's
 * one signal. Now the signal carries one listener however many calls are in flight, no warning is emitted,
 * and aborting the run still stops it.
 */
import { getEventListeners } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/eval/run/prepare-run.js';
import { runOrEnqueue } from '../../src/eval/run/run-or-enqueue.js';
import type { Store } from '../../src/store/open-store.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { sqliteStore, testConfig } from './eval-harness.js';

let store: Store;
let dbUrl: string;
let mock: MockOpenAI;
let watched: AbortSignal | undefined;
let file: string;
const seen: number[] = [];

beforeAll(async () => {
  ({ store, url: dbUrl } = await sqliteStore());
  // Eight items, so that eight run at once (each with six calls) whatever the machine's load.
  file = join(mkdtempSync(join(tmpdir(), 'argmed-abort-listeners-')), 'items.jsonl');
  const items = Array.from({ length: 8 }, (_, i) =>
    JSON.stringify({ id: `l${i}`, facts: [`Patient ${i}`], question: `Which option ${i}?`, options: [{ id: 'A', text: 'one' }, { id: 'B', text: 'two' }], answer: 'A' }),
  );
  writeFileSync(file, `${items.join('\n')}\n`);
  mock = await startMockOpenAI({
    respond: () => {
      if (watched) seen.push(getEventListeners(watched, 'abort').length);
      return 'Step by step.\nAnswer: A';
    },
    // Long enough that the calls of eight items overlap even on a busy machine.
    latencyMs: 300,
  });
});

afterAll(async () => {
  await mock?.close();
  await store?.close();
});

describe('abort listeners of an evaluation run', () => {
  it('one listener on the run signal with dozens of calls in flight, and no MaxListenersExceededWarning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const run = await prepareRun(store.db, {
        dataset: 'jsonl',
        file,
        methods: ['self-consistency', 'cot'],
        backend: 'knowledge',
        selfConsistency: { k: 5, temperature: 0.7 },
      });
      const controller = new AbortController();
      watched = controller.signal;
      const config = testConfig(dbUrl, mock.url, { ARGMED_LLM_CONCURRENCY: '64' });
      const progress = await runOrEnqueue(config, store.db, run, { concurrency: 8, signal: controller.signal });
      expect(progress.done).toBe(run.total);
      // More than Node's default of 10 listeners, past which the warning would come without the shared listener.
      expect(mock.maxInFlight).toBeGreaterThan(15);
      expect(seen.length).toBeGreaterThan(0);
      expect(Math.max(...seen)).toBeLessThanOrEqual(2);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      watched = undefined;
    }
  });
});
