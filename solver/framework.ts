/**
 * The framework over integer ids in compressed rows (CSR), and its builders. Building is one counting
 * sort by source and one pass that sorts, de-duplicates and counts attackers: O(|A| + |R|) time, 4 bytes
 * an attack for each direction (attacker rows on first use), no array of arrays. Reference: the neighbourhood index of graphology and the framework of crustabri.
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

// Rows longer than this are sorted with the native sort instead of an insertion sort.
const SHORT_ROW = 32;

/**
 * The target rows by a counting sort of the attacks on their source, then each row sorted and its
 * duplicate attacks dropped; the attacker counts are taken in the same pass. The unique values are
 * copied down (`kept` never passes the row being read), so rows stay contiguous without a second array.
 * This is the plain algorithm of bench/grounded-reference.c. Memory is reused where the C program frees it
 * (the fill pointers in the attacker-count array; the target rows keep their array when duplicates shrink
 * them): on this machine every megabyte of fresh memory costs about 3 ms of CPU in page faults, and the two
 * copies were 24 MB at 10^6 / 5·10^6. Grouping the attacks by source bucket first
 * (a copy of the attacks, to keep the fill in cache) and a separate histogram pass were 15-25% slower
 * in the build phase at 10^6 / 5·10^6 (`npm run bench:solver`, load 13-16), with whole-process CPU
 * equal and a peak RSS 31 MB higher (175 vs 144 MB).
 */
function buildRows(count: number, edges: EdgeList): Rows {
  const m = edges.length;
  const pairs = edges.pairs;
  const targetStart = new Uint32Array(count + 1);
  const targets = new Uint32Array(m);
  for (let e = 0; e < 2 * m; e += 2) targetStart[pairs[e] + 1]++;
  for (let a = 0; a < count; a++) targetStart[a + 1] += targetStart[a];
  // The scatter's fill pointers live in the array that holds the attacker counts afterwards.
  const attackerStart = new Uint32Array(count + 1);
  const fill = attackerStart;
  fill.set(targetStart.subarray(0, count));
  for (let e = 0; e < 2 * m; e += 2) targets[fill[pairs[e]]++] = pairs[e + 1];
  // attackerStart[t + 1] counts the attackers of t until the prefix sum below.
  attackerStart.fill(0);
  let kept = 0;
  for (let a = 0; a < count; a++) {
    const begin = targetStart[a];
    const end = targetStart[a + 1];
    targetStart[a] = kept;
    const unique = sortUniqueRow(targets, begin, end, kept);
    for (let i = kept; i < kept + unique; i++) attackerStart[targets[i] + 1]++;
    kept += unique;
  }
  targetStart[count] = kept;
  for (let a = 0; a < count; a++) attackerStart[a + 1] += attackerStart[a];
  return { attackerStart, targetStart, targets: kept === m ? targets : targets.subarray(0, kept) };
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
 * and each row of targets is sorted. Memory: 4 bytes an attack for the target rows plus 12 bytes an
 * argument (4 more during the build); attacker rows are built on first use.
 */
export function frameworkFromEdges(count: number, edges: EdgeList, names?: readonly string[]): Framework {
  return new CsrFramework(count, buildRows(count, edges), names);
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
