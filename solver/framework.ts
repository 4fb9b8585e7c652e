/**
 * The framework over integer ids in compressed rows (CSR), and its builders. Building is two counting
 * sorts and one de-duplication pass: O(|A| + |R|) time, 8 bytes an attack for each direction, no array
 * of arrays. Reference: the neighbourhood index of graphology and the framework of crustabri.
 */
import { EdgeList } from './edge-list.js';
import { SolverError, SolverRangeError } from './errors.js';
import type { Framework } from './types.js';

/** Target rows (always built) and attacker rows (built on first use: only explanations need them). */
interface Rows {
  attackerStart: Uint32Array;
  targetStart: Uint32Array;
  targets: Uint32Array;
}

/** The CSR framework; readers and builders create it, everybody else sees {@link Framework}. */
class CsrFramework implements Framework {
  readonly count: number;
  readonly attackCount: number;
  readonly attackerStart: Uint32Array;
  readonly targetStart: Uint32Array;
  readonly targets: Uint32Array;
  readonly numericNames: boolean;
  private attackerRows: Uint32Array | undefined;
  private explicitNames: readonly string[] | undefined;
  private nameIndex: Map<string, number> | undefined;

  constructor(count: number, rows: Rows, names: readonly string[] | undefined) {
    this.count = count;
    this.attackerStart = rows.attackerStart;
    this.targetStart = rows.targetStart;
    this.targets = rows.targets;
    this.attackCount = rows.targets.length;
    this.explicitNames = names;
    this.numericNames = names === undefined;
  }

  get attackers(): Uint32Array {
    // Grounded labelling needs only the attacker counts; the rows cost a pass of random writes, so
    // they are built when an explanation first asks. Scanning sources in order sorts each row.
    if (this.attackerRows === undefined) {
      const fill = this.attackerStart.slice(0, this.count);
      const attackers = new Uint32Array(this.attackCount);
      const { targetStart, targets } = this;
      for (let a = 0; a < this.count; a++) {
        for (let i = targetStart[a]; i < targetStart[a + 1]; i++) attackers[fill[targets[i]]++] = a;
      }
      this.attackerRows = attackers;
    }
    return this.attackerRows;
  }

  get names(): readonly string[] {
    // ICCMA frameworks of millions of arguments never pay for a name array unless someone asks.
    if (this.explicitNames === undefined) {
      const names = new Array<string>(this.count);
      for (let i = 0; i < this.count; i++) names[i] = String(i + 1);
      this.explicitNames = names;
    }
    return this.explicitNames;
  }

  attackersOf(arg: number): Uint32Array {
    return this.attackers.subarray(this.attackerStart[arg], this.attackerStart[arg + 1]);
  }

  targetsOf(arg: number): Uint32Array {
    return this.targets.subarray(this.targetStart[arg], this.targetStart[arg + 1]);
  }

  nameOf(arg: number): string {
    return this.numericNames ? String(arg + 1) : this.explicitNames![arg];
  }

  idOf(name: string): number | undefined {
    if (this.numericNames) {
      if (!/^[1-9][0-9]*$/.test(name)) return undefined;
      const id = Number(name) - 1;
      return id < this.count ? id : undefined;
    }
    if (this.nameIndex === undefined) {
      this.nameIndex = new Map();
      const names = this.explicitNames!;
      for (let i = 0; i < names.length; i++)
        if (!this.nameIndex.has(names[i])) this.nameIndex.set(names[i], i);
    }
    return this.nameIndex.get(name);
  }
}

// Sources per bucket of the partitioning pass: a bucket's slice of the row arrays (about 80 KB at 5
// attacks an argument) stays in cache while it is counted and filled.
const BUCKET_SHIFT = 12;
// Rows longer than this are sorted with the native sort instead of an insertion sort.
const SHORT_ROW = 32;

/** The attacks grouped by source: bucket b holds the sources b*span .. b*span+span-1. */
interface Partition {
  /** Interleaved pairs: pairs[2e] the source, pairs[2e+1] the target. */
  pairs: Uint32Array;
  /** Attack index where each bucket begins, and the attack count at the end. */
  bucketStart: Uint32Array;
  span: number;
}

/**
 * Groups the attacks by source bucket when the framework is large, so the counting sort that follows
 * touches one cache-sized region at a time instead of writing at random over all rows (one cache miss
 * an attack). The bucket counters fit in cache, so this pass is a few hundred sequential write streams.
 * A small framework is one bucket, its pairs used as they are: its rows fit in cache anyway.
 */
function partitionBySource(count: number, edges: EdgeList): Partition {
  const m = edges.length;
  const input = edges.pairs;
  if (m <= 1 << 20 || count <= 1 << (BUCKET_SHIFT + 2)) {
    return { pairs: input, bucketStart: Uint32Array.of(0, m), span: Math.max(1, count) };
  }
  const pairs = new Uint32Array(2 * m);
  const buckets = (count >>> BUCKET_SHIFT) + 1;
  const bucketStart = new Uint32Array(buckets + 1);
  for (let e = 0; e < 2 * m; e += 2) bucketStart[(input[e] >>> BUCKET_SHIFT) + 1]++;
  for (let b = 0; b < buckets; b++) bucketStart[b + 1] += bucketStart[b];
  const cursor = bucketStart.slice(0, buckets);
  for (let e = 0; e < 2 * m; e += 2) {
    const f = input[e];
    const slot = 2 * cursor[f >>> BUCKET_SHIFT]++;
    pairs[slot] = f;
    pairs[slot + 1] = input[e + 1];
  }
  return { pairs, bucketStart, span: 1 << BUCKET_SHIFT };
}

/**
 * The target rows, one bucket at a time while its attacks are in cache: a counting sort of the bucket's
 * attacks by source, then each row sorted and its duplicate attacks dropped. The unique values are
 * copied down (`kept` never passes the row being read), so rows stay contiguous without a second array.
 */
function targetRows(count: number, part: Partition): Pick<Rows, 'targetStart' | 'targets'> {
  const { pairs, bucketStart, span } = part;
  const buckets = bucketStart.length - 1;
  const targetStart = new Uint32Array(count + 1);
  const targets = new Uint32Array(bucketStart[buckets]);
  const fill = new Uint32Array(Math.min(span, count));
  let kept = 0;
  for (let b = 0; b < buckets; b++) {
    const lo = b * span;
    const hi = Math.min(count, lo + span);
    const begin = bucketStart[b];
    const end = bucketStart[b + 1];
    // targetStart[a + 1] holds the out-degree of a until row a is written.
    for (let e = 2 * begin; e < 2 * end; e += 2) targetStart[pairs[e] + 1]++;
    for (let a = lo, offset = begin; a < hi; a++) {
      fill[a - lo] = offset;
      offset += targetStart[a + 1];
    }
    for (let e = 2 * begin; e < 2 * end; e += 2) targets[fill[pairs[e] - lo]++] = pairs[e + 1];
    for (let a = lo, rowBegin = begin; a < hi; a++) {
      const rowEnd = rowBegin + targetStart[a + 1];
      targetStart[a] = kept;
      kept += sortUniqueRow(targets, rowBegin, rowEnd, kept);
      rowBegin = rowEnd;
    }
  }
  targetStart[count] = kept;
  return { targetStart, targets: kept === targets.length ? targets : targets.slice(0, kept) };
}

/**
 * Row offsets of the attacker rows: a histogram of the targets. A plain pass: the counters (4 bytes an
 * argument) stay in the last-level cache, and grouping the targets by bucket first measured twice as slow.
 */
function countAttackers(count: number, targets: Uint32Array): Uint32Array {
  const attackerStart = new Uint32Array(count + 1);
  for (let i = 0; i < targets.length; i++) attackerStart[targets[i] + 1]++;
  for (let a = 0; a < count; a++) attackerStart[a + 1] += attackerStart[a];
  return attackerStart;
}

/**
 * Sorts row[begin, end) in place and writes its values without duplicates to row[dest, ...), where
 * dest <= begin. Short rows (nearly all) take an insertion sort; a call to the native sort costs more.
 * @returns the number of unique values written
 */
function sortUniqueRow(row: Uint32Array, begin: number, end: number, dest: number): number {
  if (end === begin) return 0;
  if (end - begin > SHORT_ROW) row.subarray(begin, end).sort();
  else {
    for (let i = begin + 1; i < end; i++) {
      const v = row[i];
      let j = i - 1;
      while (j >= begin && row[j] > v) {
        row[j + 1] = row[j];
        j--;
      }
      row[j + 1] = v;
    }
  }
  let last = row[begin];
  let out = dest;
  row[out++] = last;
  for (let i = begin + 1; i < end; i++) {
    const v = row[i];
    if (v !== last) row[out++] = last = v;
  }
  return out - dest;
}

/**
 * Builds a framework from validated attack arrays (readers use this after checking ids).
 * @param count number of arguments
 * @param edges attacks; ids must already lie in 0..count-1
 * @param names display names, or undefined for ICCMA ids "1".."N"
 * Complexity O(count + edges.length) (rows longer than 32 cost O(d log d)); duplicates are collapsed
 * and each row of targets is sorted. Memory: 4 bytes an attack for the target rows (8 more during the
 * build of a large framework) plus 12 bytes an argument; attacker rows are built on first use.
 */
export function frameworkFromEdges(count: number, edges: EdgeList, names?: readonly string[]): Framework {
  const part = partitionBySource(count, edges);
  const { targetStart, targets } = targetRows(count, part);
  const rows = { attackerStart: countAttackers(count, targets), targetStart, targets };
  return new CsrFramework(count, rows, names);
}

/**
 * Builds a framework from an attack list over ids 0..count-1.
 * @param count number of arguments (isolated arguments exist without attacks)
 * @param attacks pairs [attacker, target]; duplicates are collapsed, self-attacks kept
 * @param names optional display names (length `count`); default "1".."N" as in ICCMA files
 * @throws SolverRangeError when an id is outside 0..count-1; SolverError SOLVER_BAD_COUNT for a bad count
 *   or a names array of the wrong length
 * Complexity O(count + |attacks|).
 * @example buildFramework(3, [[1, 0], [2, 1]], ['a', 'b', 'c'])
 */
export function buildFramework(
  count: number,
  attacks: Iterable<readonly [number, number]>,
  names?: readonly string[],
): Framework {
  if (!Number.isInteger(count) || count < 0 || count > 0xfffffffe) {
    throw new SolverError(
      'SOLVER_BAD_COUNT',
      `solver/framework: count must be a non-negative integer, got ${count}`,
    );
  }
  if (names !== undefined && names.length !== count) {
    throw new SolverError(
      'SOLVER_BAD_COUNT',
      `solver/framework: ${names.length} names given for ${count} arguments`,
    );
  }
  const edges = new EdgeList(Array.isArray(attacks) ? attacks.length : 16);
  for (const [from, to] of attacks) {
    if (
      !Number.isInteger(from) ||
      from < 0 ||
      from >= count ||
      !Number.isInteger(to) ||
      to < 0 ||
      to >= count
    ) {
      throw new SolverRangeError(
        `solver/framework: attack (${from}, ${to}) names an id outside 0..${count - 1}`,
      );
    }
    edges.push(from, to);
  }
  return frameworkFromEdges(count, edges, names === undefined ? undefined : [...names]);
}
