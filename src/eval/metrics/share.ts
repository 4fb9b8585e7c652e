/**
 * A share as every report prints it: the count, the number of items it is over, the value and its 95%
 * Wilson interval. A share over zero items has no value (`null`, printed N/A), never 0%.
 */
import { wilsonInterval } from './wilson-interval.js';

export interface Share {
  k: number;
  n: number;
  /** k / n; null when n is 0. */
  value: number | null;
  /** 95% Wilson interval; null when n is 0. */
  ci: [number, number] | null;
}

/** The share k / n with its interval. O(1). @example shareOf(3, 4) // { k: 3, n: 4, value: 0.75, ci: [0.30, 0.95] } */
export function shareOf(k: number, n: number): Share {
  if (n <= 0) return { k: 0, n: 0, value: null, ci: null };
  return { k, n, value: k / n, ci: wilsonInterval(k, n) };
}

/** `62.0% [52.2–70.9] (62/100)`, or `N/A (n = 0)`. */
export function formatShare(s: Share | undefined): string {
  if (!s || s.value === null || s.ci === null) return 'N/A (n = 0)';
  const p = (v: number) => (100 * v).toFixed(1);
  return `${p(s.value)}% [${p(s.ci[0])}–${p(s.ci[1])}] (${s.k}/${s.n})`;
}
