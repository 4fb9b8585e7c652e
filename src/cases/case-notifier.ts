/**
 * In-process wake-ups for readers of a case (event streams, `waitUntilDone`): the runner calls `notify`
 * after it stored something, and a waiter wakes at once instead of at its next poll. Every case has a
 * version number; a waiter passes the version it last saw, so a notification that arrives between its read
 * and its wait is not lost. Readers in another process are not notified: they poll.
 */

export interface CaseNotifier {
  /** The current version of a case (changes on every notify). */
  version(caseId: string): number;
  /** Something about the case changed; `final` when it will not change again (its entry is freed later). */
  notify(caseId: string, final?: boolean): void;
  /**
   * Resolves when the case's version differs from `seenVersion`, after `timeoutMs`, or when `signal`
   * aborts, whichever comes first. Never rejects.
   */
  wait(caseId: string, seenVersion: number, timeoutMs: number, signal?: AbortSignal): Promise<void>;
}

const FINISHED_KEPT = 10_000;

/** Creates a notifier. Cost: O(1) a call, O(waiters) a notify. */
export function createCaseNotifier(): CaseNotifier {
  // One counter for all cases, so a case whose entry was freed and recreated never reuses a version.
  let clock = 0;
  const versions = new Map<string, number>();
  const waiters = new Map<string, Set<() => void>>();

  // A finished case keeps its version for a while (a reader between its read and its wait must still see
  // the change); only the last FINISHED_KEPT finished cases are remembered, so the map stays bounded.
  const finished: string[] = [];
  function forgetLater(caseId: string): void {
    finished.push(caseId);
    if (finished.length > FINISHED_KEPT) versions.delete(finished.shift()!);
  }

  function version(caseId: string): number {
    return versions.get(caseId) ?? 0;
  }

  function notify(caseId: string, final = false): void {
    clock += 1;
    versions.set(caseId, clock);
    if (final) forgetLater(caseId);
    const set = waiters.get(caseId);
    if (set) for (const wake of [...set]) wake();
  }

  function wait(caseId: string, seenVersion: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (version(caseId) !== seenVersion || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let set = waiters.get(caseId);
      if (!set) {
        set = new Set();
        waiters.set(caseId, set);
      }
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && waiters.get(caseId) === set) waiters.delete(caseId);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  return { version, notify, wait };
}
