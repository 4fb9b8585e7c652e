/** Queries of the `eval_ratings` table: plain async functions taking the database first, one query each. */
import type { Db } from './database.js';
import type { RatingRow } from './eval-ratings.table.js';

/** Stores a rating, replacing the rater's earlier one of the same unit. */
export async function upsertRating(db: Db, row: RatingRow): Promise<void> {
  const { run_id: _r, item_key: _i, method: _m, rater: _a, ...update } = row;
  await db
    .insertInto('eval_ratings')
    .values(row)
    .onConflict((c) => c.columns(['run_id', 'item_key', 'method', 'rater']).doUpdateSet(update))
    .execute();
}

/** Every rating of a run, in a stable order (item, method, rater). */
export async function listRatings(db: Db, runId: string): Promise<RatingRow[]> {
  return db
    .selectFrom('eval_ratings')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('item_key')
    .orderBy('method')
    .orderBy('rater')
    .execute();
}
