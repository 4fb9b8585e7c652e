/**
 * Stores the events of one running deliberation in order, numbering them per case. The engine's `onEvent`
 * is synchronous, so `push` only buffers; writes happen one batch at a time behind it, each on the event
 * loop's next turn (a burst of events becomes one multi-row insert, and a run never starves the sockets),
 * and readers are notified after each batch is stored, never before.
 */
import type { NewCaseEventRow } from '../store/case-events.table.js';
import { insertCaseEvents } from '../store/case-events.repository.js';
import type { Db } from '../store/database.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

export interface CaseEventWriter {
  /** Buffers an event; it gets the next seq. Never throws. */
  push(type: string, data: unknown): void;
  /** Resolves when everything pushed so far is stored. @throws the first write error, if any. */
  flush(): Promise<void>;
  /** The seq the next event will get. */
  nextSeq(): number;
}

export interface CaseEventWriterOptions {
  /** Called after each stored batch. */
  onStored?: () => void;
  now?: () => Date;
}

/**
 * A writer for a case whose highest stored seq is `lastSeq`.
 * Cost: one insert a batch; batches form while the previous one is being written.
 */
export function createCaseEventWriter(
  db: Db,
  caseId: string,
  lastSeq: number,
  options: CaseEventWriterOptions = {},
): CaseEventWriter {
  const now = options.now ?? (() => new Date());
  let seq = lastSeq;
  let pending: NewCaseEventRow[] = [];
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;

  async function drain(): Promise<void> {
    const batch = pending;
    pending = [];
    // After a failed write, later events would leave a gap in the numbering: keep none of them.
    if (batch.length === 0 || failure !== undefined) return;
    try {
      await insertCaseEvents(db, batch);
      options.onStored?.();
    } catch (error) {
      failure = error;
    }
  }

  return {
    push(type, data) {
      seq += 1;
      pending.push({
        case_id: caseId,
        seq,
        type,
        data: JSON.stringify(data ?? null),
        at: now().toISOString(),
      });
      // The write waits for the event loop's next turn: every event the engine emits until then (a round's
      // worth with a zero-latency back-end) goes into one insert, and sockets are served in between.
      if (pending.length === 1) chain = chain.then(yieldToEventLoop).then(drain);
    },
    async flush() {
      await chain;
      if (failure !== undefined) throw failure;
    },
    nextSeq: () => seq + 1,
  };
}
