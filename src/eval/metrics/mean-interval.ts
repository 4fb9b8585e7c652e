/**
 * The 95% confidence interval of a mean from Student's t distribution (sample standard deviation, n - 1
 * degrees of freedom), for the report's mean Likert ratings. Ratings of one item by several raters are not
 * independent, so with many raters per item the interval is narrower than it should be; the report says so.
 */

/** t quantiles (0.975) for 1..30 degrees of freedom; beyond, the normal 1.96 (within 4% of t at 31+). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/**
 * @param values the sample
 * @param bounds the scale's ends: the interval is clipped to them (a Likert mean cannot leave 1–5)
 * @returns `[low, high]`, or null with fewer than two values (no spread to estimate). O(n).
 * @example meanInterval([4, 5, 3], [1, 5]) // ≈ [1.52, 5]
 */
export function meanInterval(values: readonly number[], bounds: [number, number] = [-Infinity, Infinity]): [number, number] | null {
  const n = values.length;
  if (n < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  const margin = (T975[n - 2] ?? 1.96) * Math.sqrt(variance / n);
  return [Math.max(bounds[0], mean - margin), Math.min(bounds[1], mean + margin)];
}
