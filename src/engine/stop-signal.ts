/**
 * One abort signal for a deliberation that fires on the deadline or when the caller aborts, remembering which
 * of the two it was (a deadline is a budget that was hit; a caller's abort is not).
 */
import { onAbort } from '../../agents/llm/on-abort.js';

export interface StopSignal {
  readonly signal: AbortSignal;
  /** Why it fired, or undefined while running. */
  reason(): 'deadline' | 'aborted' | undefined;
  /**
   * Settles with `promise`, or rejects as soon as the signal fires, whichever comes first, so that a back-end
   * that ignores the signal cannot hold the deliberation past its deadline. O(1); no listener per call.
   */
  race<T>(promise: Promise<T>): Promise<T>;
  /** Clears the timer and the listener on the caller's signal. */
  dispose(): void;
}

/**
 * Creates the stop signal.
 * @param deadlineMs milliseconds until the deadline fires.
 * @param external the caller's signal, if any (already aborted means stopped at once).
 */
export function createStopSignal(deadlineMs: number, external?: AbortSignal): StopSignal {
  const controller = new AbortController();
  let why: 'deadline' | 'aborted' | undefined;
  const pending = new Set<(reason: unknown) => void>();
  const stop = (reason: 'deadline' | 'aborted'): void => {
    if (why !== undefined) return;
    why = reason;
    controller.abort(
      new Error(reason === 'deadline' ? 'the deadline passed' : 'the deliberation was aborted'),
    );
    for (const reject of pending) reject(controller.signal.reason);
    pending.clear();
  };
  // setTimeout treats anything past 2^31-1 ms as 1 ms: clamp, so a huge deadline means "no deadline".
  const timer = setTimeout(() => stop('deadline'), Math.min(Math.max(0, deadlineMs), 2_147_483_647));
  timer.unref?.();
  if (external?.aborted) stop('aborted');
  const unwatch = onAbort(external, () => stop('aborted'));
  return {
    signal: controller.signal,
    reason: () => why,
    race<T>(promise: Promise<T>): Promise<T> {
      if (why !== undefined) return Promise.reject(controller.signal.reason);
      return new Promise<T>((resolve, reject) => {
        pending.add(reject);
        promise.then(
          (value) => {
            pending.delete(reject);
            resolve(value);
          },
          (error: unknown) => {
            pending.delete(reject);
            reject(error);
          },
        );
      });
    },
    dispose() {
      clearTimeout(timer);
      unwatch();
    },
  };
}
