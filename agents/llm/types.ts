/**
 * Contracts of the `openai` reasoning back-end: its options (an equivalent of `LlmConfig` in src/config.ts,
 * redeclared so that agents/ does not depend on src/), the chat messages it sends and what a call returns.
 */
import type { CallCache, LlmCallRecord } from '../types.js';

/** How structured output is requested: `response_format: json_schema`, forced tool call, or `json_object`. */
export type StructuredMethod = 'jsonSchema' | 'functionCalling' | 'jsonMode';

/** The endpoint and model settings (the same fields as `Config['llm']`). */
export interface LlmOptions {
  /** Base URL of an OpenAI-compatible API, e.g. `http://127.0.0.1:8000/v1`; the OpenAI API when absent. */
  baseURL?: string;
  /** The model name; for Azure OpenAI, the deployment. */
  model: string;
  apiKey?: string;
  /** Azure OpenAI instead of an OpenAI-compatible base URL (`AzureChatOpenAI`): the resource and API version. */
  azure?: { endpoint?: string; instanceName?: string; apiVersion: string };
  structuredMethod: StructuredMethod;
  /** Limit of one HTTP attempt, in milliseconds. */
  timeoutMs: number;
  /** Retries after the first attempt (429, 5xx, timeouts, dropped connections). */
  maxRetries: number;
  /** Requests in flight at once, across all calls of one client. */
  concurrency: number;
}

/** Backoff between retries. Delays are `min(maxDelayMs, baseDelayMs * 2^retry)` with jitter (50-100 %). */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** A 429 asking to wait longer than this is not waited for: the call fails as rate limited. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

/** Everything a client is built from. */
export interface LlmClientOptions extends LlmOptions {
  cache?: CallCache;
  retry?: Partial<RetryPolicy>;
  /** Ask for server-sent events instead of one JSON answer (some local servers only stream well). */
  streaming?: boolean;
  /** Upper bound of answer tokens (`max_tokens`); the server's default when absent. */
  maxTokens?: number;
}

/** One chat message; `content` is the full text (case text already delimited by the prompt builders). */
export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Per-call options of `complete` and `completeStructured`. */
export interface CallOptions {
  role: LlmCallRecord['role'];
  signal?: AbortSignal;
  /** Receives one record for every model call (cached or not, failed or not). */
  recordCall?: (call: LlmCallRecord) => void;
  /** Sampling temperature; 0 (the default) for reproducible answers. */
  temperature?: number;
  /** Distinguishes repeated samples of one prompt in the cache (self-consistency); part of the prompt hash. */
  sample?: number;
}

/** Per-call options of `completeStructured`. */
export interface StructuredCallOptions extends CallOptions {
  /** Name of the output (the tool or json_schema name), a letter then letters, digits, `_` or `-`. */
  name: string;
  /** Overrides the client's structured-output method for this call. */
  method?: StructuredMethod;
}

export interface TextResult {
  text: string;
  /** The records of the call (also given to `recordCall`). */
  calls: LlmCallRecord[];
}

export interface StructuredResult<T> {
  value: T;
  /** One record, or two when a repair retry was needed. */
  calls: LlmCallRecord[];
}
