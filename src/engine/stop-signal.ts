/**
 * One abort signal for a deliberation that fires on the deadline or when the caller aborts, remembering which
 * of the two it was (a deadline is a budget that was hit; a caller's abort is not).
 */

export interface StopSignal {
  readonly signal: AbortSignal;
  /** Why it fired, or undefined while running. */
  reason(): 'deadline' | 'aborted' | undefined;
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
  const stop = (reason: 'deadline' | 'aborted'): void => {
    if (why !== undefined) return;
    why = reason;
    controller.abort(
      new Error(reason === 'deadline' ? 'the deadline passed' : 'the deliberation was aborted'),
    );
  };
  const onAbort = (): void => stop('aborted');
  const timer = setTimeout(() => stop('deadline'), deadlineMs);
  timer.unref?.();
  if (external?.aborted) stop('aborted');
  else external?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    reason: () => why,
    dispose() {
      clearTimeout(timer);
      external?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts, whichever comes first, so that a back-end
 * that ignores the signal cannot hold the deliberation past its deadline.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
