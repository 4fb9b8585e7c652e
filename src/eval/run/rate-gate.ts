/**
 * An adaptive concurrency gate for a run: at most `limit` items in flight, where `limit` halves (down to
 * one) and every slot pauses when the endpoint rate limits us (HTTP 429 after the client's own retries),
 * then climbs back by one after `limit` consecutive successes (additive increase, multiplicative
 * decrease, as TCP does). This is how a 429 slows a run down instead of failing its items.
 */
import { onAbort } from '../../../agents/llm/on-abort.js';

export interface RateGate {
  /** Waits for a free slot (and for any pause to end); returns the release function. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** Reports a rate limit: halve the limit and pause everyone for `retryAfterMs` (or a growing backoff). */
  slowDown(retryAfterMs?: number): void;
  /** Reports a success (may raise the limit again). */
  succeeded(): void;
  /** The current limit. */
  readonly limit: number;
}

export interface RateGateOptions {
  max: number;
  /** First pause without a Retry-After; doubles on each consecutive rate limit, up to maxPauseMs. */
  basePauseMs?: number;
  maxPauseMs?: number;
}

/** Creates a gate allowing `max` items in flight at first. */
export function createRateGate({ max, basePauseMs = 500, maxPauseMs = 30_000 }: RateGateOptions): RateGate {
  const ceiling = Math.max(1, Math.floor(max));
  let limit = ceiling;
  let active = 0;
  let pausedUntil = 0;
  let streak = 0;
  let successes = 0;
  const waiters: Array<() => void> = [];
  /** A wake-up is scheduled for the end of the pause. */
  let waking = false;

  function pump(): void {
    const wait = pausedUntil - Date.now();
    if (wait > 0) {
      if (!waking) {
        waking = true;
        setTimeout(() => {
          waking = false;
          pump();
        }, wait);
      }
      return;
    }
    while (active < limit && waiters.length > 0) {
      active++;
      waiters.shift()!();
    }
  }

  function release(): void {
    active--;
    pump();
  }

  return {
    get limit() {
      return limit;
    },
    acquire(signal) {
      return new Promise((resolve, reject) => {
        const grant = () => {
          unwatch();
          let released = false;
          resolve(() => {
            if (!released) release();
            released = true;
          });
        };
        const cancel = () => {
          const index = waiters.indexOf(grant);
          if (index >= 0) waiters.splice(index, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        if (signal?.aborted) return cancel();
        const unwatch = onAbort(signal, cancel);
        waiters.push(grant);
        pump();
      });
    },
    slowDown(retryAfterMs) {
      limit = Math.max(1, Math.floor(limit / 2));
      const pause = retryAfterMs ?? Math.min(maxPauseMs, basePauseMs * 2 ** streak);
      streak++;
      successes = 0;
      pausedUntil = Math.max(pausedUntil, Date.now() + pause);
      pump();
    },
    succeeded() {
      streak = 0;
      successes++;
      if (limit < ceiling && successes >= limit) {
        limit++;
        successes = 0;
        pump();
      }
    },
  };
}
