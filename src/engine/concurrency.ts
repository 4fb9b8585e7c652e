/**
 * A concurrency limiter: at most `limit` tasks run at once, the rest wait in arrival order. The engine uses
 * one per deliberation so that the critique of a round runs in parallel without flooding the back-end.
 */

/** Runs a task when a slot is free and resolves (or rejects) with its outcome. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * Creates a limiter.
 * @param limit tasks in flight at once (at least 1; non-integers are floored).
 * @returns a function that schedules a task; O(1) per task.
 */
export function createLimiter(limit: number): Limiter {
  const slots = Math.max(1, Math.floor(limit));
  let running = 0;
  // A queue read from `head` (Array#shift moves every waiting task: O(n) a start on a large round).
  let waiting: Array<() => void> = [];
  let head = 0;

  const release = (): void => {
    running -= 1;
    if (head < waiting.length) {
      const next = waiting[head];
      head += 1;
      if (head === waiting.length) {
        waiting = [];
        head = 0;
      }
      next();
    }
  };

  // The task's own promise goes back to the caller when a slot is free: no wrapper promise on that path.
  const run = <T>(task: () => Promise<T>): Promise<T> => {
    running += 1;
    let promise: Promise<T>;
    try {
      promise = task();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(release, release);
    return promise;
  };

  return function limited<T>(task: () => Promise<T>): Promise<T> {
    if (running < slots) return run(task);
    return new Promise<T>((resolve, reject) => {
      waiting.push(() => {
        run(task).then(resolve, reject);
      });
    });
  };
}
