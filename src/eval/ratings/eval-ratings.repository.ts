/**
 * The `eval_ratings` table (migration `20261203T233000-eval-ratings`) and its queries: plain async functions
 * taking the database first, one query each.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../store/database.js';

export const RATING_DIMENSIONS = ['correctness', 'completeness', 'clarity', 'trust'] as const;
export type RatingDimension = (typeof RATING_DIMENSIONS)[number];

export interface EvalRatingsTable {
  run_id: string;
  item_key: string;
  method: string;
  /** `key:<hash prefix>` (the API key that rated) or `name:<name>`. */
  rater: string;
  correctness: number;
  completeness: number;
  clarity: number;
  trust: number;
  comment: string | null;
  /** `page` or `import`. */
  source: string;
  rated_at: string;
}
export type RatingRow = Selectable<EvalRatingsTable>;

type RatingsDb = Kysely<Database & { eval_ratings: EvalRatingsTable }>;
const ratingsDb = (db: Kysely<Database>): RatingsDb => db.withTables<{ eval_ratings: EvalRatingsTable }>();

/** Stores a rating, replacing the rater's earlier one of the same unit. */
export async function upsertRating(db: Kysely<Database>, row: RatingRow): Promise<void> {
  const { run_id: _r, item_key: _i, method: _m, rater: _a, ...update } = row;
  await ratingsDb(db)
    .insertInto('eval_ratings')
    .values(row)
    .onConflict((c) => c.columns(['run_id', 'item_key', 'method', 'rater']).doUpdateSet(update))
    .execute();
}

/** Every rating of a run, in a stable order (item, method, rater). */
export async function listRatings(db: Kysely<Database>, runId: string): Promise<RatingRow[]> {
  return ratingsDb(db)
    .selectFrom('eval_ratings')
    .selectAll()
    .where('run_id', '=', runId)
    .orderBy('item_key')
    .orderBy('method')
    .orderBy('rater')
    .execute();
}
