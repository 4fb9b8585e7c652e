/**
 * The `llm_calls` table: the log of model calls, which doubles as the persistent answer cache (rows with
 * an `answer` serve later calls with the same prompt hash). No prompt text is stored, only its hash.
 */
import type { Insertable, Selectable } from 'kysely';

export interface LlmCallsTable {
  id: string;
  /** The case that made the call; null for calls outside a case (evaluation baselines, ...). */
  case_id: string | null;
  role: string;
  prompt_hash: string;
  model: string;
  tokens_in: number;
  tokens_out: number;
  latency_ms: number;
  /** 1 when the answer came from the cache, 0 otherwise (integer in both dialects). */
  cached: number;
  attempts: number;
  error: string | null;
  /** The model's answer, for calls that succeeded; null for log-only rows. */
  answer: string | null;
  created_at: string;
}

export type LlmCallRow = Selectable<LlmCallsTable>;
export type NewLlmCallRow = Insertable<LlmCallsTable>;
