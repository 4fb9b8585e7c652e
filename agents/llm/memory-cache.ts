/**
 * An in-memory `CallCache`: answers by prompt hash, least recently used evicted past a size limit.
 * For one process and tests; the service persists the call log in its database instead.
 */
import type { CallCache, LlmCallRecord } from '../types.js';

/** A `CallCache` in a Map; `records` keeps the record stored with each answer (for inspection). */
export class MemoryCallCache implements CallCache {
  private readonly answers = new Map<string, { answer: string; record: LlmCallRecord }>();

  /** @param maxEntries answers kept; the least recently used go first. Default 10 000. */
  constructor(private readonly maxEntries = 10_000) {}

  /** The cached answer for a prompt hash. O(1). */
  async get(key: string): Promise<string | undefined> {
    const entry = this.answers.get(key);
    if (entry === undefined) return undefined;
    this.answers.delete(key);
    this.answers.set(key, entry);
    return entry.answer;
  }

  /** Stores an answer with the record of the call that paid for it. O(1). */
  async set(key: string, answer: string, record: LlmCallRecord): Promise<void> {
    this.answers.delete(key);
    this.answers.set(key, { answer, record });
    while (this.answers.size > this.maxEntries) {
      const oldest = this.answers.keys().next().value as string;
      this.answers.delete(oldest);
    }
  }

  /** Answers held. */
  get size(): number {
    return this.answers.size;
  }

  /** The record stored with an answer. */
  record(key: string): LlmCallRecord | undefined {
    return this.answers.get(key)?.record;
  }
}
