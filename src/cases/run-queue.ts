/**
 * The service's run queue: case ids wait in arrival order and at most `concurrency` run at once, so a
 * burst of submissions does not start a burst of deliberations. A case is never queued twice.
 */

export interface RunQueue {
  /**
   * Queues a case (ignored when it is already waiting or running).
   * @returns a promise that settles when that run ends, or when the case leaves the queue unrun (removed,
   *   stopped); callers that only start a run may ignore it.
   */
  add(caseId: string): Promise<void>;
  /** Takes a waiting case out (it was deleted). @returns whether it was waiting. */
  remove(caseId: string): boolean;
  /** Ids waiting or running (for heartbeats and recovery). */
  held(): string[];
  has(caseId: string): boolean;
  /** Stops starting new runs; returns the ids that were still waiting. */
  stop(): string[];
  /** Resolves when no run is in flight. */
  idle(): Promise<void>;
}

/**
 * Creates a queue that calls `run(caseId)` for each case, at most `concurrency` at a time.
 * `run` should not reject; if it does, the queue goes on with the next case.
 */
export function createRunQueue(concurrency: number, run: (caseId: string) => Promise<void>): RunQueue {
  const limit = Math.max(1, Math.floor(concurrency));
  const waiting: string[] = [];
  // Mirrors `waiting` for O(1) membership: a batch can queue thousands of cases.
  const waitingSet = new Set<string>();
  const running = new Set<string>();
  let stopped = false;
  let idleWaiters: Array<() => void> = [];
  /** Who awaits each waiting or running case's end. */
  const ends = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  function settle(caseId: string): void {
    ends.get(caseId)?.resolve();
    ends.delete(caseId);
  }

  function pump(): void {
    while (!stopped && running.size < limit && waiting.length > 0) {
      const caseId = waiting.shift()!;
      waitingSet.delete(caseId);
      running.add(caseId);
      run(caseId)
        .catch(() => {})
        .finally(() => {
          running.delete(caseId);
          settle(caseId);
          if (running.size === 0) {
            const wake = idleWaiters;
            idleWaiters = [];
            for (const resolve of wake) resolve();
          }
          pump();
        });
    }
  }

  return {
    add(caseId) {
      if (stopped) return Promise.resolve();
      const known = ends.get(caseId);
      if (known) return known.promise;
      let resolve = () => {};
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      ends.set(caseId, { promise, resolve });
      waiting.push(caseId);
      waitingSet.add(caseId);
      pump();
      return promise;
    },
    remove(caseId) {
      if (!waitingSet.delete(caseId)) return false;
      waiting.splice(waiting.indexOf(caseId), 1);
      settle(caseId);
      return true;
    },
    held: () => [...running, ...waiting],
    has: (caseId) => running.has(caseId) || waitingSet.has(caseId),
    stop() {
      stopped = true;
      waitingSet.clear();
      const left = waiting.splice(0, waiting.length);
      for (const caseId of left) settle(caseId);
      return left;
    },
    idle() {
      if (running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
