/**
 * The persistent call cache of an evaluation run (the `llm_calls` table, shared with the service, so an
 * answer is never paid twice), with lookups and writes grouped (group-commit.ts): the calls of the items in
 * flight are looked up in one query and logged in one multi-row insert instead of one statement each.
 * A `set` resolves once its row is stored, as with the store's own `createCallLogCache`.
 */
import type { CallCache } from '../../../agents/types.js';
import { callRow } from '../../store/call-log-cache.js';
import type { Db } from '../../store/database.js';
import { findCachedAnswers, insertLlmCalls } from '../../store/llm-calls.repository.js';
import type { NewLlmCallRow } from '../../store/llm-calls.table.js';
import { groupCommit } from './group-commit.js';

/**
 * @param db the database (calls outside any case: `case_id` null, as `createCallLogCache(db)` writes them).
 */
export function createBatchedCallCache(db: Db): CallCache {
  const lookup = groupCommit(async (keys: string[]) => {
    const found = await findCachedAnswers(db, keys);
    return keys.map((key) => found.get(key));
  });
  const write = groupCommit(async (rows: NewLlmCallRow[]) => {
    await insertLlmCalls(db, rows);
    return rows.map(() => undefined);
  });
  return {
    get: (key) => lookup(key),
    async set(key, answer, record) {
      await write(callRow(null, { ...record, promptHash: key }, answer, new Date()));
    },
  };
}
