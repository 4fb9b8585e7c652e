/**
 * Watching one long-lived abort signal from many places at once with a single listener on it. A run's or a
 * deliberation's signal is handed to every call made under it: each attempt, each wait for a concurrency slot
 * and each backoff pause used to add its own `abort` listener, so an evaluation at concurrency 8 with
 * self-consistency held dozens at once and Node warned of a leak (MaxListenersExceededWarning). Here the
 * signal carries one listener while anything watches it, and the watchers sit in a set: adding and removing
 * one is O(1), and the listener goes when the last watcher does.
 */

interface Watch {
  callbacks: Set<() => void>;
  listener: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

function stopWatching(signal: AbortSignal, watch: Watch, callback: () => void): void {
  watch.callbacks.delete(callback);
  if (watch.callbacks.size === 0 && watches.get(signal) === watch) {
    signal.removeEventListener('abort', watch.listener);
    watches.delete(signal);
  }
}

/**
 * Calls `callback` once when `signal` aborts, until the returned function is called. Like
 * `addEventListener('abort', ..., { once: true })`, it does not fire for a signal that has already aborted
 * (check `signal.aborted` first). Callbacks must not throw.
 * @param signal the watched signal; none gives a no-op.
 * @returns stops watching (idempotent; call it when the guarded operation ends).
 * @example const unwatch = onAbort(signal, () => controller.abort(signal.reason)); try { ... } finally { unwatch(); }
 */
export function onAbort(signal: AbortSignal | undefined, callback: () => void): () => void {
  if (signal === undefined || signal.aborted) return () => {};
  let watch = watches.get(signal);
  if (watch === undefined) {
    const callbacks = new Set<() => void>();
    const listener = () => {
      watches.delete(signal);
      for (const call of [...callbacks]) call();
      callbacks.clear();
    };
    watch = { callbacks, listener };
    watches.set(signal, watch);
    signal.addEventListener('abort', listener, { once: true });
  }
  // A wrapper per call, so the same function watched twice is two watchers.
  const own = () => callback();
  watch.callbacks.add(own);
  const current = watch;
  return () => stopWatching(signal, current, own);
}
