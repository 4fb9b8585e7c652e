/**
 * Percentiles by the nearest-rank method: the value at rank ceil(p/100 · n) of the sorted sample, so a
 * reported p95 latency is one that was actually observed.
 */

/** The p-th percentile (0 < p <= 100) of `values`; 0 for an empty sample. O(n log n). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}
