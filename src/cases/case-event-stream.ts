/**
 * The events of a case after a given seq: first those stored, then new ones as they are stored, ending
 * with the case's terminal `status` event (or when the case is gone, or the signal aborts; with `follow`, only
 * then, so a watcher also receives the `revision` events of a contested case). New events are
 * noticed through the in-process notifier and, for cases another process runs, by polling every `pollMs`.
 */
import { findCaseStatus } from '../store/cases.repository.js';
import { listCaseEvents } from '../store/case-events.repository.js';
import type { Db } from '../store/database.js';
import type { CaseNotifier } from './case-notifier.js';
import { isTerminalStatus } from './case-outcome.js';
import type { StoredEvent } from './types.js';

const PAGE = 500;

export interface EventStreamOptions {
  notifier: CaseNotifier;
  pollMs: number;
  signal?: AbortSignal;
  /** Stay open after the terminal status (for revisions); ends only when the case is gone or on abort. */
  follow?: boolean;
}

/**
 * Streams a case's events with seq > afterSeq, in order, each once.
 * Cost: two small queries per wake-up (the status, then a page of events).
 */
export async function* streamCaseEvents(
  db: Db,
  caseId: string,
  afterSeq: number,
  options: EventStreamOptions,
): AsyncGenerator<StoredEvent> {
  const { notifier, pollMs, signal, follow = false } = options;
  let last = Math.max(0, Math.floor(afterSeq));
  while (!signal?.aborted) {
    const seen = notifier.version(caseId);
    // Status before events: once it reads terminal, every event (the terminal one included) is stored.
    const status = await findCaseStatus(db, caseId);
    const rows = await listCaseEvents(db, caseId, last, PAGE);
    for (const row of rows) {
      if (signal?.aborted) return;
      last = row.seq;
      const event: StoredEvent = { seq: row.seq, type: row.type, data: JSON.parse(row.data), at: row.at };
      yield event;
      if (!follow && isTerminalStatusEvent(event)) return;
    }
    if (rows.length === PAGE) continue;
    if (status === undefined || (!follow && isTerminalStatus(status))) return;
    await notifier.wait(caseId, seen, pollMs, signal);
  }
}

function isTerminalStatusEvent(event: StoredEvent): boolean {
  if (event.type !== 'status' || event.data === null || typeof event.data !== 'object') return false;
  return isTerminalStatus((event.data as { status?: string }).status);
}
