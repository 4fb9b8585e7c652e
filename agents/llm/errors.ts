/**
 * Errors of the `openai` back-end, each with a stable code from one table. Messages never contain case
 * text or model output (they end up in logs and the call log); `detail` may, and is only ever sent back to
 * the model in a repair prompt.
 */

/** Every code this layer throws, with what it means for an operator. */
export const LLM_ERROR_CODES = {
  ARGMED_LLM_TIMEOUT: 'the model did not answer within the timeout (after retries)',
  ARGMED_LLM_RATE_LIMITED: 'the endpoint kept answering 429 Too Many Requests (after retries)',
  ARGMED_LLM_UNAVAILABLE: 'the endpoint failed (5xx, connection refused or dropped, after retries)',
  ARGMED_LLM_BAD_RESPONSE: 'the endpoint answered with a body that is not a chat completion (after retries)',
  ARGMED_LLM_REJECTED: 'the endpoint refused the request (4xx other than 429: key, model name, parameters)',
  ARGMED_LLM_INVALID_OUTPUT: 'the answer did not match the expected structure, also after one repair retry',
  ARGMED_LLM_EMPTY_OUTPUT: 'the model answered nothing',
  ARGMED_LLM_ABORTED: 'the caller cancelled the call',
  ARGMED_LLM_CONFIG: 'the client settings cannot work (e.g. a structured-output method the model lacks)',
} as const;

export type LlmErrorCode = keyof typeof LLM_ERROR_CODES;

/** Codes worth another attempt of the same request. */
const RETRYABLE: ReadonlySet<LlmErrorCode> = new Set([
  'ARGMED_LLM_TIMEOUT',
  'ARGMED_LLM_RATE_LIMITED',
  'ARGMED_LLM_UNAVAILABLE',
  'ARGMED_LLM_BAD_RESPONSE',
]);

/** An error of the LLM layer: `code` is stable, `message` is safe to log. */
export class LlmError extends Error {
  override readonly name = 'LlmError';

  readonly status?: number;
  readonly retryAfterMs?: number;
  /** Attempts made before giving up (set by the retry loop). */
  attempts?: number;
  /** Tokens the failed attempt still cost, when the endpoint reported them. */
  usage?: { tokensIn: number; tokensOut: number };
  /** What the model should fix (may quote its answer): for the repair prompt only, never logged. */
  declare readonly detail?: string;

  /**
   * @param code one of LLM_ERROR_CODES
   * @param message what went wrong, without case text or model output
   * @param extra `status` of the HTTP answer, `retryAfterMs` asked by a 429 or 503, `detail` for a repair prompt only
   */
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    extra: { status?: number; retryAfterMs?: number; detail?: string } = {},
  ) {
    super(`agents/llm: ${message}`);
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
    // Not enumerable, so that a logger serialising the error does not print model output.
    Object.defineProperty(this, 'detail', { value: extra.detail, enumerable: false });
  }

  /** Whether the same request may succeed when sent again. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** Whether a value is an LlmError (also across duplicated module instances). */
export function isLlmError(error: unknown): error is LlmError {
  return (
    error instanceof LlmError || (error instanceof Error && error.name === 'LlmError' && 'code' in error)
  );
}
