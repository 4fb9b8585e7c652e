/**
 * The persistent call cache of an evaluation run (the `llm_calls` table, shared with the service, so an
 * answer is never paid twice), with lookups grouped into one query for the calls in flight
 * (group-commit.ts) and writes handed to the run's writer (item-writer.ts): `set` returns at once, and the
 * row is stored with the next batch, no later than the result of the item that paid for it. Until then
 * this cache serves the answer from memory, so nothing is asked twice in between.
 *
 * `prefetch` looks up the keys of calls about to be made (the run's next items) in one query; a call then
 * takes its answer, or its absence, from that query instead of a round trip of its own before the request.
 * The trade-off, accepted: an entry stored by another process between the prefetch and the call (an
 * identical call finishing elsewhere in that window, a few hundred ms at most) is not seen, so the call is
 * paid a second time, as it would be had both calls run at the same moment. An entry stored by this cache
 * is never missed: `set` drops the key's prefetched absence, and its answer is served from memory.
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
  /**
   * Looks up `keys` in one query, in the background; each prefetched key serves the next `get` of that key
   * once (later ones look up again). A failed prefetch only sends those gets to their own lookup.
   */
  prefetch(keys: readonly string[]): void;
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
  // Prefetched answers (undefined: absent when prefetched), each taken by one `get`; bounded by the window
  // the run prefetches ahead.
  const prefetched = new Map<string, Promise<string | undefined>>();
  return {
    async get(key) {
      const inMemory = unstored.get(key);
      if (inMemory !== undefined) return inMemory;
      const ahead = prefetched.get(key);
      if (ahead) {
        prefetched.delete(key);
        try {
          return await ahead;
        } catch {
          // the prefetch failed: looked up on its own below
        }
      }
      return lookup(key);
    },
    prefetch(keys) {
      const fresh = [...new Set(keys)].filter((key) => !prefetched.has(key) && !unstored.has(key));
      if (fresh.length === 0) return;
      const found = findCachedAnswers(db, fresh);
      for (const key of fresh) {
        const answer = found.then((answers) => answers.get(key));
        // A prefetched key may never be asked for (the run stops first): its failure must not go unhandled.
        answer.catch(() => {});
        prefetched.set(key, answer);
      }
    },
    async set(key, answer, record) {
      prefetched.delete(key);
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
