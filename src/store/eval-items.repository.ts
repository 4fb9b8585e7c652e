/**
 * Queries on `eval_items`. Writing a result is idempotent: the primary key (run_id, item_key, method)
 * keeps one row; a `done` row is never overwritten, a `failed` row is replaced by a later attempt.
 */
import type { QueryCreator } from 'kysely';
import type { Database, Db } from './database.js';
import type { EvalItemRow, NewEvalItemRow } from './eval-items.table.js';
import type { NewLlmCallRow } from './llm-calls.table.js';

/**
 * Stores one result. @returns true when the row was written (new, or replacing a failed attempt); false
 * when a `done` result was already there (a duplicate job, a second worker): nothing is counted twice.
 */
export async function saveItemResult(db: Db, row: NewEvalItemRow): Promise<boolean> {
  const { run_id: _r, item_key: _k, method: _m, ...update } = row;
  const result = await db
    .insertInto('eval_items')
    .values(row)
    .onConflict((c) =>
      c
        .columns(['run_id', 'item_key', 'method'])
        .doUpdateSet(update)
        .where('eval_items.status', '=', 'failed'),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * Stores several results in one statement per round (a round holds each run × item × method once, since
 * one statement may not touch a row twice), with the rule of `saveItemResult`.
 * @param calls PostgreSQL only: call-log rows to insert in the same statement (atomically with the first round)
 * @returns for each row, in order, whether it was written.
 */
export async function saveItemResults(
  db: Db,
  rows: readonly NewEvalItemRow[],
  calls: readonly NewLlmCallRow[] = [],
): Promise<boolean[]> {
  const written = new Array<boolean>(rows.length).fill(false);
  let left = rows.map((row, index) => ({ row, index }));
  let withCalls = calls.length > 0;
  while (left.length > 0) {
    const seen = new Set<string>();
    const round: typeof left = [];
    const later: typeof left = [];
    for (const entry of left) {
      const key = `${entry.row.run_id}\u0000${pairKey(entry.row.item_key, entry.row.method)}`;
      if (seen.has(key)) later.push(entry);
      else {
        seen.add(key);
        round.push(entry);
      }
    }
    // PostgreSQL: the call-log rows ride along in a data-modifying WITH (one statement, one commit).
    const qc: QueryCreator<Database> = withCalls
      ? (db.with('calls', (w) => w.insertInto('llm_calls').values([...calls])) as unknown as QueryCreator<Database>)
      : db;
    withCalls = false;
    const stored = await qc
      .insertInto('eval_items')
      .values(round.map((e) => e.row))
      .onConflict((c) =>
        c
          .columns(['run_id', 'item_key', 'method'])
          .doUpdateSet((eb) => ({
            status: eb.ref('excluded.status'),
            gold: eb.ref('excluded.gold'),
            predicted: eb.ref('excluded.predicted'),
            correct: eb.ref('excluded.correct'),
            calls: eb.ref('excluded.calls'),
            tokens_in: eb.ref('excluded.tokens_in'),
            tokens_out: eb.ref('excluded.tokens_out'),
            latency_ms: eb.ref('excluded.latency_ms'),
            error: eb.ref('excluded.error'),
            case_id: eb.ref('excluded.case_id'),
            outcome: eb.ref('excluded.outcome'),
            finished_at: eb.ref('excluded.finished_at'),
          }))
          .where('eval_items.status', '=', 'failed'),
      )
      .returning(['run_id', 'item_key', 'method'])
      .execute();
    const hit = new Set(stored.map((r) => `${r.run_id}\u0000${pairKey(r.item_key, r.method)}`));
    for (const e of round) written[e.index] = hit.has(`${e.row.run_id}\u0000${pairKey(e.row.item_key, e.row.method)}`);
    left = later;
  }
  return written;
}

/** Keys `item_key\u0000method` of the results already `done` in a run. */
export async function findDonePairs(db: Db, runId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('eval_items')
    .select(['item_key', 'method'])
    .where('run_id', '=', runId)
    .where('status', '=', 'done')
    .execute();
  return new Set(rows.map((r) => pairKey(r.item_key, r.method)));
}

/** Whether one item × method is already done. */
export async function isItemDone(db: Db, runId: string, itemKey: string, method: string): Promise<boolean> {
  const row = await db
    .selectFrom('eval_items')
    .select('status')
    .where('run_id', '=', runId)
    .where('item_key', '=', itemKey)
    .where('method', '=', method)
    .executeTakeFirst();
  return row?.status === 'done';
}

/** Every result of a run, in a stable order. */
export async function listItemResults(db: Db, runId: string): Promise<EvalItemRow[]> {
  return db
    .selectFrom('eval_items')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('item_key')
    .orderBy('method')
    .execute();
}

/** Per method and status: rows, correct answers and tokens (cheap progress: no JSON read). */
export async function countItemResults(
  db: Db,
  runId: string,
): Promise<Array<{ method: string; status: string; n: number; correct: number; tokensIn: number; tokensOut: number }>> {
  const rows = await db
    .selectFrom('eval_items')
    .select((eb) => [
      'method',
      'status',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('correct').as('correct'),
      eb.fn.sum<number>('tokens_in').as('tokensIn'),
      eb.fn.sum<number>('tokens_out').as('tokensOut'),
    ])
    .where('run_id', '=', runId)
    .groupBy(['method', 'status'])
    .execute();
  // PostgreSQL returns bigint sums as strings.
  return rows.map((r) => ({
    method: r.method,
    status: r.status,
    n: Number(r.n),
    correct: Number(r.correct ?? 0),
    tokensIn: Number(r.tokensIn ?? 0),
    tokensOut: Number(r.tokensOut ?? 0),
  }));
}

/** The key of an item × method pair in `findDonePairs`' set. */
export function pairKey(itemKey: string, method: string): string {
  return `${itemKey}\u0000${method}`;
}
