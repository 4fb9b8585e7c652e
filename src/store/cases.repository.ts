/**
 * Queries on the `cases` table: plain async functions taking the database (or a transaction) first,
 * one query each. Callers own the transactions.
 */
import type { ExpressionBuilder } from 'kysely';
import type { CaseRow, CaseRowUpdate, NewCaseRow } from './cases.table.js';
import type { Database, Db } from './database.js';

/** The states in which a case still needs a process to finish it. */
export const UNFINISHED = ['queued', 'running'] as const;

/** Columns a listing needs (no JSON bodies). */
export type CaseSummaryRow = Pick<
  CaseRow,
  'id' | 'status' | 'title' | 'decision' | 'created_at' | 'updated_at' | 'finished_at'
>;

/** A holder of an unfinished case as recovery sees it. */
export type CaseHoldRow = Pick<CaseRow, 'id' | 'status' | 'attempts' | 'owner' | 'heartbeat_at'>;

export interface CaseListFilter {
  status?: string;
  /** Inclusive bounds on `created_at` (ISO strings). */
  createdAfter?: string;
  createdBefore?: string;
  /** Keyset: only cases strictly after this one in the listing order (newest first). */
  after?: { createdAt: string; id: string };
  limit: number;
}

/**
 * Inserts a case. With an idempotency key already taken, inserts nothing.
 * @returns true when the row was inserted, false when the idempotency key existed.
 */
export async function insertCase(db: Db, row: NewCaseRow): Promise<boolean> {
  const result = await db
    .insertInto('cases')
    .values(row)
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The case with this id, or undefined. */
export async function findCaseById(db: Db, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The case stored under an idempotency key, or undefined. */
export async function findCaseByIdempotencyKey(db: Db, key: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('idempotency_key', '=', key).executeTakeFirst();
}

/** The status of a case (cheap: for polling), or undefined when it does not exist. */
export async function findCaseStatus(db: Db, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('cases').select('status').where('id', '=', id).executeTakeFirst();
  return row?.status;
}

/**
 * One page of cases, newest first, ordered by `(created_at, id)` descending so that a keyset cursor
 * neither skips nor repeats rows when new cases arrive between pages. Cost: an index range scan.
 */
export async function listCases(db: Db, filter: CaseListFilter): Promise<CaseSummaryRow[]> {
  let query = db
    .selectFrom('cases')
    .select(['id', 'status', 'title', 'decision', 'created_at', 'updated_at', 'finished_at']);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (filter.createdAfter !== undefined) query = query.where('created_at', '>=', filter.createdAfter);
  if (filter.createdBefore !== undefined) query = query.where('created_at', '<=', filter.createdBefore);
  const after = filter.after;
  if (after !== undefined) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

/**
 * Marks a case `running` for its owner and counts the attempt. Only a case still unfinished and held by
 * `owner` is taken, so a case deleted or taken over meanwhile is left alone.
 * @returns the claimed row (with the new attempt count), or undefined when it was not claimed.
 */
export async function claimCaseForRun(
  db: Db,
  id: string,
  owner: string,
  now: string,
): Promise<CaseRow | undefined> {
  return db
    .updateTable('cases')
    .set((eb) => ({
      status: 'running',
      attempts: eb('attempts', '+', 1),
      heartbeat_at: now,
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('owner', '=', owner)
    .where('status', 'in', UNFINISHED)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Updates a case its owner holds (finishing it, or handing it back): only while `owner` holds it.
 * @returns true when the row was updated.
 */
export async function updateOwnedCase(
  db: Db,
  id: string,
  owner: string,
  update: CaseRowUpdate,
): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set(update)
    .where('id', '=', id)
    .where('owner', '=', owner)
    .where('status', 'in', UNFINISHED)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Updates a finished case (a contested case's new revision), only while it is still in `status`.
 * @returns true when the row was updated.
 */
export async function updateFinishedCase(
  db: Db,
  id: string,
  status: string,
  update: CaseRowUpdate,
): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set(update)
    .where('id', '=', id)
    .where('status', '=', status)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Hands a case its owner will not finish (the service is stopping) back to `queued` without an owner, so
 * the next start recovers it at once; the attempt that was cut short is not counted.
 * @returns true when the owner still held it.
 */
export async function releaseCase(db: Db, id: string, owner: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set((eb) => ({
      status: 'queued',
      owner: null,
      heartbeat_at: null,
      updated_at: now,
      attempts: eb
        .case()
        .when('attempts', '>', 0)
        .then(eb('attempts', '-', 1))
        .else(0)
        .end(),
    }))
    .where('id', '=', id)
    .where('owner', '=', owner)
    .where('status', 'in', UNFINISHED)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Refreshes the heartbeat of the owner's unfinished cases. @returns how many rows were touched. */
export async function heartbeatCases(
  db: Db,
  ids: readonly string[],
  owner: string,
  now: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('cases')
    .set({ heartbeat_at: now })
    .where('id', 'in', ids)
    .where('owner', '=', owner)
    .where('status', 'in', UNFINISHED)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Every case still `queued` or `running`, with who holds it (recovery decides which are orphaned). */
export async function listUnfinishedCases(db: Db): Promise<CaseHoldRow[]> {
  return db
    .selectFrom('cases')
    .select(['id', 'status', 'attempts', 'owner', 'heartbeat_at'])
    .where('status', 'in', UNFINISHED)
    .orderBy('created_at')
    .execute();
}

/**
 * Compare-and-set on an unfinished case's holder: applies `update` only if the case is still held exactly
 * as `seen` (same owner and heartbeat), so two processes recovering at once never both take a case.
 * @returns true when this caller won.
 */
export async function updateCaseIfHeldAs(db: Db, seen: CaseHoldRow, update: CaseRowUpdate): Promise<boolean> {
  const result = await db
    .updateTable('cases')
    .set(update)
    .where('id', '=', seen.id)
    .where('status', 'in', UNFINISHED)
    .where((eb) => nullableEquals(eb, 'owner', seen.owner))
    .where((eb) => nullableEquals(eb, 'heartbeat_at', seen.heartbeat_at))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Deletes the case row (events, graph and feedback go with it by foreign key). @returns whether it existed. */
export async function deleteCaseRow(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('cases').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** How many cases are in each status (for the `/metrics` gauge). */
export async function countCasesByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('cases')
    .select((eb) => ['status', eb.fn.countAll<number | string | bigint>().as('count')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

function nullableEquals(
  eb: ExpressionBuilder<Database, 'cases'>,
  column: 'owner' | 'heartbeat_at',
  value: string | null,
) {
  return value === null ? eb(column, 'is', null) : eb(column, '=', value);
}
