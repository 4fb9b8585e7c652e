/**
 * A growable list of attacks kept as two parallel Uint32Arrays (from, to). Readers push into it while
 * streaming; {@link frameworkFromEdges} then builds the compressed rows by counting sort. Doubling the
 * capacity keeps pushes amortised O(1) without an object per attack. The fields are public so a hot
 * parsing loop can write into the arrays directly (and call {@link EdgeList.reserve} when full).
 */

/** Growable parallel arrays of attack sources and targets. */
export class EdgeList {
  from: Uint32Array;
  to: Uint32Array;
  length = 0;

  /** @param capacity initial number of attacks the arrays hold before growing. */
  constructor(capacity = 1024) {
    const size = Math.max(16, capacity | 0);
    this.from = new Uint32Array(size);
    this.to = new Uint32Array(size);
  }

  /** Appends one attack `from -> to` (ids already validated by the caller). Amortised O(1). */
  push(from: number, to: number): void {
    if (this.length === this.from.length) this.reserve(this.length + 1);
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.length++;
  }

  /** Makes room for at least `capacity` attacks, at least doubling the arrays. */
  reserve(capacity: number): void {
    if (capacity <= this.from.length) return;
    const size = Math.max(capacity, this.from.length * 2);
    const from = new Uint32Array(size);
    const to = new Uint32Array(size);
    from.set(this.from.subarray(0, this.length));
    to.set(this.to.subarray(0, this.length));
    this.from = from;
    this.to = to;
  }
}
