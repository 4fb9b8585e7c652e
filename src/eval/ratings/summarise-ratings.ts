/**
 * The human ratings of a run as the report shows them: per method the number of ratings and the mean of
 * each dimension; overall, Krippendorff's alpha (interval) of each dimension over the units (item × method)
 * rated by two or more raters.
 */
import { meanInterval } from '../metrics/mean-interval.js';
import { krippendorffAlphaInterval } from './krippendorff-alpha.js';
import type { RatingRow } from '../../store/eval-ratings.table.js';
import { RATING_DIMENSIONS, type RatingDimension } from './rating-dimensions.js';

export interface RatingsSummary {
  ratings: number;
  raters: number;
  units: number;
  /** Units rated by at least two raters (those alpha is computed over). */
  pairableUnits: number;
  alpha: Record<RatingDimension, number | null>;
  perMethod: Record<
    string,
    {
      ratings: number;
      units: number;
      mean: Record<RatingDimension, number | null>;
      /** 95% t interval of each mean, within 1–5; null with fewer than two ratings. */
      ci: Record<RatingDimension, [number, number] | null>;
    }
  >;
}

/** undefined when the run has no rating. O(ratings²) for alpha's expected disagreement. */
export function summariseRatings(rows: readonly RatingRow[]): RatingsSummary | undefined {
  if (rows.length === 0) return undefined;
  const byUnit = new Map<string, RatingRow[]>();
  for (const r of rows) {
    const key = `${r.item_key}\u0000${r.method}`;
    byUnit.set(key, [...(byUnit.get(key) ?? []), r]);
  }
  const alpha = {} as RatingsSummary['alpha'];
  for (const d of RATING_DIMENSIONS) alpha[d] = krippendorffAlphaInterval([...byUnit.values()].map((u) => u.map((r) => r[d])));
  const perMethod: RatingsSummary['perMethod'] = {};
  for (const method of [...new Set(rows.map((r) => r.method))].sort()) {
    const mine = rows.filter((r) => r.method === method);
    const mean = {} as Record<RatingDimension, number | null>;
    const ci = {} as Record<RatingDimension, [number, number] | null>;
    for (const d of RATING_DIMENSIONS) {
      mean[d] = mine.reduce((s, r) => s + r[d], 0) / mine.length;
      ci[d] = meanInterval(mine.map((r) => r[d]), [1, 5]);
    }
    perMethod[method] = { ratings: mine.length, units: new Set(mine.map((r) => r.item_key)).size, mean, ci };
  }
  return {
    ratings: rows.length,
    raters: new Set(rows.map((r) => r.rater)).size,
    units: byUnit.size,
    pairableUnits: [...byUnit.values()].filter((u) => u.length >= 2).length,
    alpha,
    perMethod,
  };
}
