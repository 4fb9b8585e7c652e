/**
 * Turns whatever a model call threw (OpenAI SDK errors, LangChain wrappers, fetch failures, aborts) into an
 * `LlmError` with a stable code. Server messages are not copied: they may echo the prompt.
 */
import { parseRetryAfter } from './backoff.js';
import { isLlmError, LlmError } from './errors.js';

/** What the attempt knows about why it ended, besides the error itself. */
export interface AttemptState {
  timedOut: boolean;
  callerAborted: boolean;
  timeoutMs: number;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function header(headers: unknown, name: string): string | null {
  if (headers === null || typeof headers !== 'object') return null;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return (get as (key: string) => string | null).call(headers, name);
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

function fromStatus(status: number, headers: unknown): LlmError {
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(header(headers, 'retry-after'), header(headers, 'retry-after-ms'));
    return new LlmError('ARGMED_LLM_RATE_LIMITED', 'the endpoint answered 429 Too Many Requests', {
      status,
      retryAfterMs,
    });
  }
  if (status === 408)
    return new LlmError('ARGMED_LLM_TIMEOUT', 'the endpoint answered 408 Request Timeout', { status });
  if (status >= 500) {
    // A 503 may say when to come back (RFC 9110, 10.2.3), as a 429 does; other 5xx have no Retry-After.
    const retryAfterMs =
      status === 503 ? parseRetryAfter(header(headers, 'retry-after'), header(headers, 'retry-after-ms')) : undefined;
    return new LlmError('ARGMED_LLM_UNAVAILABLE', `the endpoint answered HTTP ${status}`, { status, retryAfterMs });
  }
  return new LlmError('ARGMED_LLM_REJECTED', `the endpoint refused the request with HTTP ${status}`, {
    status,
  });
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'ENOTFOUND',
]);

/**
 * Classifies an error thrown by one attempt.
 * @param error what the call threw
 * @param state whether the client's own timer or the caller's signal ended the attempt
 */
export function classifyError(error: unknown, state: AttemptState): LlmError {
  if (state.callerAborted) return new LlmError('ARGMED_LLM_ABORTED', 'the call was cancelled');
  if (state.timedOut) return new LlmError('ARGMED_LLM_TIMEOUT', `no answer within ${state.timeoutMs} ms`);
  const chain = causes(error);
  const typed = chain.find(isLlmError);
  if (typed) return typed as LlmError;
  for (const item of chain) {
    const status = (item as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400)
      return fromStatus(status, (item as { headers?: unknown }).headers);
  }
  for (const item of chain) {
    if (!(item instanceof Error)) continue;
    const code = (item as { code?: unknown }).code;
    if (item.name === 'TimeoutError' || item.name === 'APIConnectionTimeoutError') {
      return new LlmError('ARGMED_LLM_TIMEOUT', 'the connection timed out');
    }
    if (item.name === 'SyntaxError') {
      // Only model content reaches JSON.parse unchecked (bodies are checked in chat-model.ts).
      return new LlmError('ARGMED_LLM_INVALID_OUTPUT', 'the answer is not valid JSON', {
        detail: `Your answer is not valid JSON (${item.message}).`,
      });
    }
    if (item.name === 'LengthFinishReasonError' || /length limit was reached/.test(item.message)) {
      return new LlmError('ARGMED_LLM_INVALID_OUTPUT', 'the answer was cut at the token limit', {
        detail: 'Your answer was cut at the token limit: answer more briefly.',
      });
    }
    if (/rejected by the content filter/.test(item.message)) {
      return new LlmError(
        'ARGMED_LLM_INVALID_OUTPUT',
        'the answer did not finish (finish_reason content_filter)',
        {
          detail: 'Your answer did not finish: answer again.',
        },
      );
    }
    if (
      item.name === 'APIConnectionError' ||
      (typeof code === 'string' && NETWORK_CODES.has(code)) ||
      (item.name === 'TypeError' && /fetch failed|terminated|socket/i.test(item.message))
    ) {
      return new LlmError('ARGMED_LLM_UNAVAILABLE', 'the connection to the endpoint failed or dropped');
    }
  }
  const name = error instanceof Error ? error.name : typeof error;
  return new LlmError('ARGMED_LLM_BAD_RESPONSE', `the call failed unexpectedly (${name})`);
}
