/**
 * Selects the slice of a dataset a run evaluates: a seeded random sample (reproducible: same seed, same
 * items, in file order), then `offset`, then `limit`.
 */
import { SliceSchema, type SliceOptions } from '../types.js';

/** mulberry32: a small, fast PRNG whose sequence is fixed by its 32-bit seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The slice of `items` the options select. O(n).
 * @example sliceItems(items, { sample: 300, seed: 7 }) // the same 300 items on every machine
 */
export function sliceItems<T>(items: readonly T[], options: SliceOptions = {}): T[] {
  const o = SliceSchema.parse(options);
  let chosen: T[] = [...items];
  if (o.sample !== undefined && o.sample < items.length) {
    const random = prng(o.seed);
    const indices = items.map((_, i) => i);
    // Partial Fisher-Yates: the first `sample` positions are a uniform sample.
    for (let i = 0; i < o.sample; i++) {
      const j = i + Math.floor(random() * (indices.length - i));
      [indices[i], indices[j]] = [indices[j], indices[i]];
    }
    chosen = indices
      .slice(0, o.sample)
      .sort((a, b) => a - b)
      .map((i) => items[i]);
  }
  const end = o.limit === undefined ? undefined : o.offset + o.limit;
  return chosen.slice(o.offset, end);
}
