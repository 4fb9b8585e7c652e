/**
 * The Wilson score interval of a proportion (Wilson 1927): better than the normal approximation for small
 * samples and proportions near 0 or 1, and never outside [0, 1].
 */

/**
 * 95% (by default) confidence interval of `successes / n`.
 * @param z the normal quantile (1.959964 for 95%)
 * @returns `[low, high]`; `[0, 0]` when n is 0. O(1).
 * @example wilsonInterval(62, 100) // ≈ [0.522, 0.709]
 */
export function wilsonInterval(successes: number, n: number, z = 1.959964): [number, number] {
  if (n <= 0) return [0, 0];
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return [Math.max(0, (centre - margin) / denominator), Math.min(1, (centre + margin) / denominator)];
}
