/**
 * Waiting between retries: exponential backoff with jitter, or the server's Retry-After on a 429 or 503.
 */
import type { RetryPolicy } from './types.js';
import { onAbort } from './on-abort.js';

/**
 * The delay before retry number `retry` (0 for the first retry).
 * With `retryAfterMs` (a 429's or 503's Retry-After) the wait is that long plus up to 10 % jitter, so that clients
 * told the same instant do not all return at once; otherwise `min(maxDelayMs, baseDelayMs * 2^retry)`
 * scaled by a random 50-100 %.
 */
export function backoffDelay(
  retry: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.round(retryAfterMs * (1 + 0.1 * random()));
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

/**
 * Reads a Retry-After (seconds or an HTTP date) or retry-after-ms header value, in milliseconds.
 * @returns undefined when absent or unreadable.
 */
export function parseRetryAfter(
  seconds: string | null | undefined,
  milliseconds?: string | null,
): number | undefined {
  if (milliseconds) {
    const ms = Number(milliseconds);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  if (!seconds) return undefined;
  const value = Number(seconds);
  if (Number.isFinite(value) && value >= 0) return value * 1000;
  const date = Date.parse(seconds);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      unwatch();
      resolve();
    }, ms);
    const unwatch = onAbort(signal, () => {
      clearTimeout(timer);
      reject(signal?.reason);
    });
  });
}
