/**
 * The persistent call cache of an evaluation run (the `llm_calls` table, shared with the service, so an
 * answer is never paid twice), with lookups grouped into one query for the calls in flight
 * (group-commit.ts) and writes handed to the run's writer (item-writer.ts): `set` returns at once, and the
 * row is stored with the next batch, no later than the result of the item that paid for it. Until then
 * this cache serves the answer from memory, so nothing is asked twice in between.
 */
import type { CallCache } from '../../../agents/types.js';
import { callRow } from '../../store/call-log-cache.js';
import type { Db } from '../../store/database.js';
import { findCachedAnswers } from '../../store/llm-calls.repository.js';
import { groupCommit } from './group-commit.js';
import { runWriter } from './item-writer.js';

export interface BatchedCallCache extends CallCache {
  /** Resolves once every answer handed to `set` so far is stored (or its write failed). */
  flushed(): Promise<void>;
}

/**
 * @param db the database (calls outside any case: `case_id` null, as `createCallLogCache(db)` writes them).
 */
export function createBatchedCallCache(db: Db): BatchedCallCache {
  // Up to 4 lookups in flight (the pool has 10 connections), each leaving at once: a model call waits
  // neither for another call's lookup round trip nor for the end of the event-loop turn (in a burst of
  // answers, the turn holds every other answer's processing). Lookups group while all 4 are out.
  const lookup = groupCommit(
    async (keys: string[]) => {
      const found = await findCachedAnswers(db, keys);
      return keys.map((key) => found.get(key));
    },
    { parallel: 4, gather: 'microtask' },
  );
  const writer = runWriter(db);
  const unstored = new Map<string, string>();
  const writes = new Set<Promise<void>>();
  return {
    async get(key) {
      return unstored.get(key) ?? lookup(key);
    },
    async set(key, answer, record) {
      unstored.set(key, answer);
      const write = writer
        .call(callRow(null, { ...record, promptHash: key }, answer, new Date()))
        // A failed write costs a later payment, not correctness (as in the LLM client's own cache use).
        .catch(() => {})
        .finally(() => {
          if (unstored.get(key) === answer) unstored.delete(key);
          writes.delete(write);
        });
      writes.add(write);
    },
    async flushed() {
      await Promise.all([...writes]);
    },
  };
}
