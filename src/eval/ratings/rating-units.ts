/**
 * What a rater rates: the units (item × method) of a run with a stored outcome, shown blind to the method.
 * Each rater gets the units in an order of their own (by a hash of rater and unit), so methods interleave
 * and no two raters walk the run in the same order; a unit is named on the page by an opaque token (a hash
 * of run, item and method), never by its method.
 */
import { createHash } from 'node:crypto';
import type { ItemResult } from '../types.js';

export interface RatingUnit {
  token: string;
  item: ItemResult;
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex');

/** The opaque token of a unit. */
export function unitToken(runId: string, itemKey: string, method: string): string {
  return hash(`${runId}\u0000${itemKey}\u0000${method}`).slice(0, 16);
}

/** The units of a run in `rater`'s order. O(n log n). */
export function ratingUnits(items: readonly ItemResult[], rater: string): RatingUnit[] {
  return items
    .filter((i) => i.status === 'done' && i.outcome)
    .map((item) => ({ token: unitToken(item.runId, item.itemKey, item.method), item }))
    .map((u) => ({ u, order: hash(`${rater}\u0000${u.token}`) }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    .map(({ u }) => u);
}
