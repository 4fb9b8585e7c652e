/**
 * A growable list of attacks kept as one Uint32Array of interleaved (from, to) pairs. Readers push into
 * it while streaming; {@link frameworkFromEdges} then builds the compressed rows by counting sort. One
 * array rather than two parallel ones halves the write streams of a parsing loop, and the builder can
 * use the pairs as they are. Doubling the capacity keeps pushes amortised O(1) without an object per
 * attack. The fields are public so a hot parsing loop can write into the array directly (and call
 * {@link EdgeList.reserve} when full).
 */

/** Growable interleaved attack pairs: `pairs[2e]` the source of attack e, `pairs[2e + 1]` its target. */
export class EdgeList {
  pairs: Uint32Array;
  /** The number of attacks (half the used length of `pairs`). */
  length = 0;

  /** @param capacity initial number of attacks the list holds before growing. */
  constructor(capacity = 1024) {
    this.pairs = new Uint32Array(2 * Math.max(16, capacity | 0));
  }

  /** Appends one attack `from -> to` (ids already validated by the caller). Amortised O(1). */
  push(from: number, to: number): void {
    if (2 * this.length === this.pairs.length) this.reserve(this.length + 1);
    this.pairs[2 * this.length] = from;
    this.pairs[2 * this.length + 1] = to;
    this.length++;
  }

  /** Source of attack `e`. */
  from(e: number): number {
    return this.pairs[2 * e];
  }

  /** Target of attack `e`. */
  to(e: number): number {
    return this.pairs[2 * e + 1];
  }

  /** Makes room for at least `capacity` attacks, at least doubling the array. */
  reserve(capacity: number): void {
    if (2 * capacity <= this.pairs.length) return;
    const pairs = new Uint32Array(2 * Math.max(capacity, this.pairs.length));
    pairs.set(this.pairs.subarray(0, 2 * this.length));
    this.pairs = pairs;
  }
}
