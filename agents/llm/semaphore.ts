/**
 * A counting semaphore: at most `limit` holders at once, waiters served first come, first served.
 * Used to bound the requests one LLM client has in flight.
 */
import { onAbort } from './on-abort.js';

export interface Semaphore {
  /** Waits for a slot; resolves to its release function (call it exactly once). Rejects when `signal` aborts. */
  acquire(signal?: AbortSignal): Promise<() => void>;
  readonly active: number;
  readonly waiting: number;
}

/**
 * Creates a semaphore.
 * @param limit holders at once, at least 1.
 * @throws RangeError when limit is not a positive integer.
 */
export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`agents/llm/semaphore: limit must be >= 1, got ${limit}`);
  let active = 0;
  const queue: Array<() => void> = [];

  function release(): void {
    const next = queue.shift();
    if (next) next();
    else active -= 1;
  }

  function releaser(): () => void {
    let released = false;
    return function releaseOnce() {
      if (released) return;
      released = true;
      release();
    };
  }

  function acquire(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (active < limit) {
      active += 1;
      return Promise.resolve(releaser());
    }
    return new Promise((resolve, reject) => {
      // The slot passes straight from the releasing holder to this waiter: `active` stays the same.
      const grant = () => {
        unwatch();
        resolve(releaser());
      };
      const unwatch = onAbort(signal, () => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        reject(signal?.reason);
      });
      queue.push(grant);
    });
  }

  return {
    acquire,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
