/**
 * Agreement of an explanation with a reference explanation: ROUGE-L (Lin 2004; F-measure of the longest
 * common subsequence of tokens, beta = 1) and token F1 (SQuAD style: bag-of-tokens overlap). Tokens are
 * lower-cased words and numbers; no stemming, no stop-word removal, so figures are comparable across runs,
 * not with packages that stem.
 */

/** Lower-case word and number tokens. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Length of the longest common subsequence of two token lists. O(|a| · |b|) time, O(|b|) memory. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/**
 * ROUGE-L F-measure of `candidate` against `reference`, in [0, 1]; 0 when either is empty.
 * @example rougeL('the cat sat', 'the cat was sitting') // LCS 2: P 2/3, R 2/4, F 4/7
 */
export function rougeL(candidate: string, reference: string): number {
  const c = tokenize(candidate);
  const r = tokenize(reference);
  if (c.length === 0 || r.length === 0) return 0;
  const lcs = lcsLength(c, r);
  if (lcs === 0) return 0;
  const precision = lcs / c.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Token F1 (multiset overlap) of `candidate` against `reference`, in [0, 1]. O(|c| + |r|). */
export function tokenF1(candidate: string, reference: string): number {
  const c = tokenize(candidate);
  const r = tokenize(reference);
  if (c.length === 0 || r.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const token of r) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of c) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common++;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / c.length;
  const recall = common / r.length;
  return (2 * precision * recall) / (precision + recall);
}
