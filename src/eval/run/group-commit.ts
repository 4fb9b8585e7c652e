/**
 * Group commit: callers hand in one unit each (a row to write, a key to look up) and wait for their own
 * answer, while the units are sent together, one statement for everything that arrived while the previous
 * statement was in flight. With 32 items in flight, their results land in a few multi-row statements (a
 * few commits, a few query compilations) instead of 32; a lone caller is sent at once, without waiting. Nothing
 * is acknowledged before its statement has completed, so "stored as it finishes" still holds.
 */

export interface GroupCommitOptions {
  /** Units in one statement at most (statement size and parameter limits). Default 200. */
  maxBatch?: number;
  /**
   * Batches in flight at once. Default 1: writes, where waiting for the batch in flight is what groups
   * commits. Reads (lookups) may use more: a lookup that waits for the previous one's round trip before
   * its own adds that round trip to the latency of every model call.
   */
  parallel?: number;
  /**
   * How long a lone unit waits for company before its batch leaves when a batch may leave: `turn` (default)
   * until the end of this turn of the event loop (setImmediate), so the units of one I/O phase share a
   * statement (a commit); `microtask` only until the current code yields, for reads whose latency matters
   * more than their count (with `parallel`, units still group while every batch slot is taken).
   */
  gather?: 'turn' | 'microtask';
}

/**
 * @param send performs one batch; returns one answer per unit, in order. When it throws for a batch of
 *   several, each unit is sent again alone, so one bad unit fails only its own caller.
 * @returns the function callers use: resolves with the unit's answer once its batch is done.
 */
export function groupCommit<T, R>(
  send: (units: T[]) => Promise<R[]>,
  options: GroupCommitOptions = {},
): (unit: T) => Promise<R> {
  const maxBatch = options.maxBatch ?? 200;
  const parallel = Math.max(1, options.parallel ?? 1);
  const gather = options.gather ?? 'turn';
  let pending: Array<{ unit: T; resolve: (answer: R) => void; reject: (error: unknown) => void }> = [];

  async function sendBatch(batch: typeof pending): Promise<void> {
    try {
      const answers = await send(batch.map((p) => p.unit));
      for (let i = 0; i < batch.length; i++) batch[i].resolve(answers[i]);
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      for (const p of batch) await sendBatch([p]);
    }
  }

  let inFlight = 0;
  let scheduled = false;

  // Sends what is pending, as far as `parallel` allows; a finished batch sends what waited for it at once.
  function flush(): void {
    scheduled = false;
    while (pending.length > 0 && inFlight < parallel) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      inFlight++;
      void sendBatch(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  }

  return (unit) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ unit, resolve, reject });
      // Units handed in during this turn of the event loop (answers read in the same I/O phase) join the
      // first batch; setImmediate runs right after that phase, so a lone unit waits no timer.
      if (!scheduled && inFlight < parallel) {
        scheduled = true;
        if (gather === 'microtask') queueMicrotask(flush);
        else setImmediate(flush);
      }
    });
}
