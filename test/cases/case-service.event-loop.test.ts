import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSchema } from '../../agents/case.js';
import { createCaseService } from '../../src/cases/case-service.js';
import { openTestStore, type TestStore } from '../store/test-stores.js';
import { createScript, FAKE_BACKEND } from './scripted-deliberation.js';

/**
 * With SQLite (a synchronous driver) and a deliberation that never waits, every await of a run resolves at
 * once: without yields, queued runs chain into one microtask drain and the process reads no socket and fires
 * no timer until the whole backlog is done (measured: ~1 s stalls under 64 connections, 10 s timeouts, 503s).
 */
describe('case runs on SQLite share the event loop', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('sqlite');
  });
  afterAll(async () => {
    await store.close();
  });

  it('the event loop turns between queued runs instead of stalling for the whole backlog', async () => {
    const script = createScript();
    const cases = createCaseService({
      db: store.db,
      backendFor: () => FAKE_BACKEND,
      deliberate: script.deliberate,
      concurrency: 2,
      sweepEveryMs: 0,
    });
    const total = 30;
    const ids: string[] = [];
    for (let index = 0; index < total; index += 1) {
      const { record } = await cases.submit(
        CaseSchema.parse({
          facts: ['fact one'],
          question: `question ${index}`,
          options: [
            { id: 'A', text: 'first' },
            { id: 'B', text: 'second' },
          ],
        }),
      );
      ids.push(record.id);
    }
    // Count event-loop turns (check phases) while the backlog runs.
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      turns += 1;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const done = await Promise.all(ids.map((id) => cases.waitUntilDone(id, 10_000)));
    counting = false;
    expect(done.map((record) => record?.status)).toEqual(Array(total).fill('decided'));
    // Each run yields before it starts and before each event write, so the loop turns at least once per
    // `concurrency` runs (runs started together may share a turn). Without the yields it turns 0 times.
    expect(turns).toBeGreaterThanOrEqual(total / 2);
    await cases.close();
  });
});
