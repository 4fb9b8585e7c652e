/**
 * The engine's `CallCache` kept in the `llm_calls` table, so answers survive restarts and are shared by
 * every process on the same database: a prompt hash already answered (by any case, any run) is served
 * from the table instead of being paid for again. Every `set` is also a call-log row of the case.
 */
import { randomUUID } from 'node:crypto';
import type { CallCache, LlmCallRecord } from '../../agents/types.js';
import type { Db } from './database.js';
import type { NewLlmCallRow } from './llm-calls.table.js';
import { findCachedAnswer, insertLlmCalls } from './llm-calls.repository.js';

export interface CallLogCache extends CallCache {
  /**
   * The calls of `calls` that `set` has not already written (cache hits, failed calls), in order: what is
   * left to log so the table holds every call exactly once.
   */
  unlogged(calls: readonly LlmCallRecord[]): LlmCallRecord[];
}

export interface CallLogCacheOptions {
  /** The case whose calls these are; null for calls outside a case. */
  caseId?: string | null;
  /** Once aborted, `set` writes nothing (the case was deleted: its rows must not come back). */
  signal?: AbortSignal;
  /** Clock (tests). */
  now?: () => Date;
}

/**
 * A persistent call cache over `llm_calls`.
 * @param db the database (not a transaction: calls are written as they happen).
 * Cost: `get` is one index lookup on `prompt_hash`; `set` one insert.
 */
export function createCallLogCache(db: Db, options: CallLogCacheOptions = {}): CallLogCache {
  const caseId = options.caseId ?? null;
  const now = options.now ?? (() => new Date());
  const written = new Map<string, number>();

  return {
    async get(key) {
      return findCachedAnswer(db, key);
    },
    async set(key, answer, record) {
      if (options.signal?.aborted) return;
      await insertLlmCalls(db, [callRow(caseId, { ...record, promptHash: key }, answer, now())]);
      written.set(key, (written.get(key) ?? 0) + 1);
    },
    unlogged(calls) {
      const left = new Map(written);
      return calls.filter((call) => {
        const count = left.get(call.promptHash) ?? 0;
        if (call.cached || call.error !== undefined || count === 0) return true;
        left.set(call.promptHash, count - 1);
        return false;
      });
    },
  };
}

/** The row of one call; `answer` only for a successful, paid-for call (what the cache serves later). */
export function callRow(
  caseId: string | null,
  call: LlmCallRecord,
  answer: string | null,
  at: Date,
): NewLlmCallRow {
  return {
    id: randomUUID(),
    case_id: caseId,
    role: call.role,
    prompt_hash: call.promptHash,
    model: call.model,
    tokens_in: Math.round(call.tokensIn),
    tokens_out: Math.round(call.tokensOut),
    latency_ms: Math.round(call.latencyMs),
    cached: call.cached ? 1 : 0,
    attempts: call.attempts,
    error: call.error ?? null,
    answer,
    created_at: at.toISOString(),
  };
}
