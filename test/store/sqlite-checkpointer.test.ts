import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insertCaseEvents } from '../../src/store/case-events.repository.js';
import { insertCase } from '../../src/store/cases.repository.js';
import { openTestStore } from './test-stores.js';

const AT = '2026-03-01T10:00:00.000Z';

describe('SQLite checkpoints in a worker', () => {
  it('copies the write-ahead log into the database file without a commit paying for it', async () => {
    const store = await openTestStore('sqlite');
    const file = store.url.slice('sqlite:'.length);
    try {
      await insertCase(store.db, {
        id: 'c',
        status: 'running',
        input: '{}',
        attempts: 1,
        created_at: AT,
        updated_at: AT,
      });
      // Let the worker settle what migrations wrote, then measure what one megabyte of events does.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const before = statSync(file).size;
      const data = JSON.stringify({ text: 'x'.repeat(2_000) });
      for (let batch = 0; batch < 10; batch += 1) {
        const rows = Array.from({ length: 50 }, (_, index) => ({
          case_id: 'c',
          seq: batch * 50 + index + 1,
          type: 'argument-added',
          data,
          at: AT,
        }));
        await insertCaseEvents(store.db, rows);
      }
      // The main connection's auto-checkpoint threshold (20000 pages) is far away: only the worker moves
      // these pages into the database file.
      const deadline = Date.now() + 5_000;
      while (statSync(file).size - before < 900_000 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(statSync(file).size - before).toBeGreaterThan(900_000);
    } finally {
      await store.close();
    }
  });
});
