/**
 * Queries on the `case_events` table, one query each. Events are numbered per case (`seq` 1, 2, 3 ...);
 * the writer of a case's deliberation assigns the numbers, `appendCaseEvent` takes the next free one.
 */
import { kysely } from './kysely-runtime.js';
import type { CaseEventRow, NewCaseEventRow } from './case-events.table.js';
import type { Db } from './database.js';

/** Inserts events (one multi-row insert). A `(case_id, seq)` already taken fails the whole insert. */
export async function insertCaseEvents(db: Db, rows: readonly NewCaseEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('case_events').values(rows).execute();
}

/**
 * Appends one event at the next free seq of its case, computed in the same statement.
 * @returns the seq it got.
 */
export async function appendCaseEvent(
  db: Db,
  event: { caseId: string; type: string; data: string; at: string },
): Promise<number> {
  const { rows } = await kysely.sql<{ seq: number | string }>`
    insert into case_events (case_id, seq, type, data, at)
    select cast(${event.caseId} as text), coalesce(max(seq), 0) + 1, cast(${event.type} as text),
           cast(${event.data} as text), cast(${event.at} as text)
    from case_events where case_id = ${event.caseId}
    returning seq`.execute(db);
  return Number(rows[0]?.seq);
}

/** The highest seq of a case's events, 0 when it has none. */
export async function maxCaseEventSeq(db: Db, caseId: string): Promise<number> {
  const row = await db
    .selectFrom('case_events')
    .select((eb) => eb.fn.max('seq').as('max'))
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

/** Events of a case with seq > afterSeq, in order, at most `limit`. */
export async function listCaseEvents(
  db: Db,
  caseId: string,
  afterSeq: number,
  limit: number,
): Promise<CaseEventRow[]> {
  return db
    .selectFrom('case_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Deletes every event of a case. @returns how many. */
export async function deleteCaseEvents(db: Db, caseId: string): Promise<number> {
  const result = await db.deleteFrom('case_events').where('case_id', '=', caseId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
