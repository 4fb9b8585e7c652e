/**
 * The writer of item results for one database: results finishing together are stored together (group
 * commit, group-commit.ts), so a run at concurrency 32 writes a few multi-row statements where it wrote 32.
 * Each caller still waits for its own row to be stored, and the idempotent rule of `saveItemResult` holds.
 */
import type { Db } from '../../store/database.js';
import { saveItemResults } from './eval-items.repository.js';
import type { NewEvalItemRow } from './eval-tables.js';
import { evalDb } from './eval-tables.js';
import { groupCommit } from './group-commit.js';

const writers = new WeakMap<Db, (row: NewEvalItemRow) => Promise<boolean>>();

/**
 * The writer for `db` (one per database object, made on first use).
 * @returns a function storing one row; resolves to whether it was written (false: a `done` row was there).
 */
export function itemWriter(db: Db): (row: NewEvalItemRow) => Promise<boolean> {
  let writer = writers.get(db);
  if (!writer) {
    const edb = evalDb(db);
    writer = groupCommit((rows: NewEvalItemRow[]) => saveItemResults(edb, rows));
    writers.set(db, writer);
  }
  return writer;
}
