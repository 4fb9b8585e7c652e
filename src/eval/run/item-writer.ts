/**
 * The writer of an evaluation's rows for one database: item results and the call-log rows of the model
 * answers they paid for, grouped (group commit, group-commit.ts). Everything handed in while the previous
 * batch was being written goes in the next one: one transaction, at most two multi-row statements, one
 * commit for many rows rather than one statement and one commit a row.
 *
 * Call rows are handed in as the answers arrive and not waited for (`call`); item rows are (`item`). A call
 * row is in the same batch as its item's row or an earlier one, so an item is never stored before the
 * answers it paid for, and a crash loses at most the answers of the items still in flight.
 */
import { kysely } from '../../store/kysely-runtime.js';
import type { Db } from '../../store/database.js';
import { insertLlmCalls } from '../../store/llm-calls.repository.js';
import type { NewLlmCallRow } from '../../store/llm-calls.table.js';
import { saveItemResults } from '../../store/eval-items.repository.js';
import type { NewEvalItemRow } from '../../store/eval-items.table.js';
import { groupCommit } from './group-commit.js';

type Unit = { kind: 'call'; row: NewLlmCallRow } | { kind: 'item'; row: NewEvalItemRow };

export interface RunWriter {
  /** Stores one item result; resolves once stored, to whether it was written (false: a `done` row was there). */
  item(row: NewEvalItemRow): Promise<boolean>;
  /** Stores one call-log row; resolves once stored (callers need not wait: see the module comment). */
  call(row: NewLlmCallRow): Promise<void>;
}

async function writeBatch(db: Db, units: Unit[]): Promise<Array<boolean | undefined>> {
  const calls: NewLlmCallRow[] = [];
  const items: NewEvalItemRow[] = [];
  for (const unit of units) {
    if (unit.kind === 'call') calls.push(unit.row);
    else items.push(unit.row);
  }
  let written: boolean[] = [];
  if (calls.length > 0 && items.length > 0 && db.getExecutor().adapter instanceof kysely.PostgresAdapter) {
    // One statement (a data-modifying WITH): one round trip and one commit for both tables.
    written = await saveItemResults(db, items, calls);
  } else if (calls.length > 0 && items.length > 0) {
    await db.transaction().execute(async (trx) => {
      await insertLlmCalls(trx, calls);
      written = await saveItemResults(trx, items);
    });
  } else if (calls.length > 0) {
    await insertLlmCalls(db, calls);
  } else {
    written = await saveItemResults(db, items);
  }
  let next = 0;
  return units.map((unit) => (unit.kind === 'item' ? written[next++] : undefined));
}

const writers = new WeakMap<Db, RunWriter>();

/** The writer for `db` (one per database object, made on first use, shared by the runs on it). */
export function runWriter(db: Db): RunWriter {
  let writer = writers.get(db);
  if (!writer) {
    const write = groupCommit((units: Unit[]) => writeBatch(db, units));
    writer = {
      item: async (row) => (await write({ kind: 'item', row })) === true,
      call: async (row) => {
        await write({ kind: 'call', row });
      },
    };
    writers.set(db, writer);
  }
  return writer;
}

/** Stores one item result through the writer of `db` (see `RunWriter.item`). */
export function itemWriter(db: Db): (row: NewEvalItemRow) => Promise<boolean> {
  const writer = runWriter(db);
  return (row) => writer.item(row);
}
