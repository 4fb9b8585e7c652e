/**
 * The service's run queue: case ids wait in arrival order and at most `concurrency` run at once (p-limit
 * keeps the slots), so a burst of submissions does not start a burst of deliberations. A case is never
 * queued twice; one taken out before its turn gives its turn up.
 */
import pLimit from 'p-limit';

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
  const slots = pLimit(Math.max(1, Math.floor(concurrency)));
  // Waiting cases in arrival order, each with the token of its turn in `slots`: a case removed and queued
  // again has a new turn, and the old one passes.
  const waiting = new Map<string, symbol>();
  const running = new Set<string>();
  let stopped = false;
  let idleWaiters: Array<() => void> = [];
  /** Who awaits each waiting or running case's end. */
  const ends = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  function settle(caseId: string): void {
    ends.get(caseId)?.resolve();
    ends.delete(caseId);
  }

  function finish(caseId: string): void {
    running.delete(caseId);
    settle(caseId);
    if (running.size > 0) return;
    const wake = idleWaiters;
    idleWaiters = [];
    for (const resolve of wake) resolve();
  }

  /** A case's turn: it runs unless it left the queue (or was queued again) since it was added. */
  function takeTurn(caseId: string, turn: symbol): Promise<void> | undefined {
    if (waiting.get(caseId) !== turn) return undefined;
    waiting.delete(caseId);
    running.add(caseId);
    return run(caseId)
      .catch(() => {})
      .finally(() => finish(caseId));
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
      const turn = Symbol('turn');
      waiting.set(caseId, turn);
      void slots(takeTurn, caseId, turn);
      return promise;
    },
    remove(caseId) {
      if (!waiting.delete(caseId)) return false;
      settle(caseId);
      return true;
    },
    held: () => [...running, ...waiting.keys()],
    has: (caseId) => running.has(caseId) || waiting.has(caseId),
    stop() {
      stopped = true;
      slots.clearQueue();
      const left = [...waiting.keys()];
      waiting.clear();
      for (const caseId of left) settle(caseId);
      return left;
    },
    idle() {
      if (running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}
