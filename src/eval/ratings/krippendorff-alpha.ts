/**
 * Krippendorff's alpha for interval data (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"):
 * alpha = 1 − D_o / D_e, with the squared difference as the distance. Interval, not ordinal: the Likert
 * points 1–5 are read as equally spaced, as a mean rating already assumes. Units rated by fewer than two
 * raters carry no information on agreement and are left out (pairable values only).
 * Missing data is allowed (any rater may skip any unit).
 */

/**
 * @param units the values each unit received (one a rater)
 * @returns alpha in (−∞, 1], or null when fewer than two pairable values exist or every value is the same
 *   (D_e = 0: agreement is undefined). O(Σ m_u²) for m_u values in unit u.
 * @example krippendorffAlphaInterval([[1, 1], [2, 2], [3, 3]]) // 1
 */
export function krippendorffAlphaInterval(units: ReadonlyArray<readonly number[]>): number | null {
  const pairable = units.filter((u) => u.length >= 2);
  const n = pairable.reduce((s, u) => s + u.length, 0);
  if (n < 2) return null;
  // Observed disagreement: within units, each pair weighted 1 / (m_u − 1).
  let observed = 0;
  for (const u of pairable) {
    let sum = 0;
    for (let i = 0; i < u.length; i++) for (let j = 0; j < u.length; j++) if (i !== j) sum += (u[i] - u[j]) ** 2;
    observed += sum / (u.length - 1);
  }
  observed /= n;
  // Expected disagreement: between all pairable values.
  const all = pairable.flat();
  let expected = 0;
  for (let i = 0; i < all.length; i++) for (let j = 0; j < all.length; j++) if (i !== j) expected += (all[i] - all[j]) ** 2;
  expected /= n * (n - 1);
  if (expected === 0) return null;
  return 1 - observed / expected;
}
