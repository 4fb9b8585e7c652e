/**
 * The `eval_ratings` table (migration `20261203T233000-eval-ratings`): one row a rater × item × method of a
 * run, the four Likert ratings (1–5) of `RATING_DIMENSIONS` (src/eval/ratings/rating-dimensions.ts) as columns.
 */
import type { Selectable } from 'kysely';

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
