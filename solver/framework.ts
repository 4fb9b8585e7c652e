/**
 * The framework over integer ids in compressed rows (CSR), and its builders. Building is two counting
 * sorts and one de-duplication pass: O(|A| + |R|) time, 8 bytes an attack for each direction, no array
 * of arrays. Reference: the neighbourhood index of graphology and the framework of crustabri.
 */
import { EdgeList } from './edge-list.js';
import { SolverError, SolverRangeError } from './errors.js';
import type { Framework } from './types.js';

/** The CSR framework; readers and builders create it, everybody else sees {@link Framework}. */
class CsrFramework implements Framework {
  readonly count: number;
  readonly attackCount: number;
  readonly attackerStart: Uint32Array;
  readonly attackers: Uint32Array;
  readonly targetStart: Uint32Array;
  readonly targets: Uint32Array;
  readonly numericNames: boolean;
  private explicitNames: readonly string[] | undefined;
  private nameIndex: Map<string, number> | undefined;

  constructor(
    count: number,
    rows: { attackerStart: Uint32Array; attackers: Uint32Array; targetStart: Uint32Array; targets: Uint32Array },
    names: readonly string[] | undefined,
  ) {
    this.count = count;
    this.attackerStart = rows.attackerStart;
    this.attackers = rows.attackers;
    this.targetStart = rows.targetStart;
    this.targets = rows.targets;
    this.attackCount = rows.targets.length;
    this.explicitNames = names;
    this.numericNames = names === undefined;
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
      for (let i = 0; i < names.length; i++) if (!this.nameIndex.has(names[i])) this.nameIndex.set(names[i], i);
    }
    return this.nameIndex.get(name);
  }
}

/**
 * Builds a framework from validated attack arrays (readers use this after checking ids).
 * @param count number of arguments
 * @param edges attacks; ids must already lie in 0..count-1
 * @param names display names, or undefined for ICCMA ids "1".."N"
 * Complexity O(count + edges.length); duplicates are collapsed.
 */
export function frameworkFromEdges(count: number, edges: EdgeList, names?: readonly string[]): Framework {
  const m = edges.length;
  const from = edges.from;
  const to = edges.to;
  // Counting sort by source gives the target rows.
  const targetStart = new Uint32Array(count + 1);
  for (let e = 0; e < m; e++) targetStart[from[e] + 1]++;
  for (let a = 0; a < count; a++) targetStart[a + 1] += targetStart[a];
  const cursor = targetStart.slice(0, count);
  const rawTargets = new Uint32Array(m);
  for (let e = 0; e < m; e++) rawTargets[cursor[from[e]]++] = to[e];
  // Drop duplicate attacks inside each row: lastSource[t] remembers the row that already holds t.
  const lastSource = new Int32Array(count).fill(-1);
  let kept = 0;
  let rowBegin = 0;
  for (let a = 0; a < count; a++) {
    const rowEnd = targetStart[a + 1];
    targetStart[a] = kept;
    for (let i = rowBegin; i < rowEnd; i++) {
      const t = rawTargets[i];
      if (lastSource[t] !== a) {
        lastSource[t] = a;
        rawTargets[kept++] = t;
      }
    }
    rowBegin = rowEnd;
  }
  targetStart[count] = kept;
  const targets = kept === m ? rawTargets : rawTargets.slice(0, kept);
  // Counting sort of the de-duplicated rows by target gives the attacker rows, sorted by attacker id.
  const attackerStart = new Uint32Array(count + 1);
  for (let i = 0; i < kept; i++) attackerStart[targets[i] + 1]++;
  for (let a = 0; a < count; a++) attackerStart[a + 1] += attackerStart[a];
  const fill = lastSource;
  for (let a = 0; a < count; a++) fill[a] = attackerStart[a];
  const attackers = new Uint32Array(kept);
  for (let a = 0; a < count; a++) {
    for (let i = targetStart[a]; i < targetStart[a + 1]; i++) attackers[fill[targets[i]]++] = a;
  }
  return new CsrFramework(count, { attackerStart, attackers, targetStart, targets }, names);
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
    throw new SolverError('SOLVER_BAD_COUNT', `solver/framework: count must be a non-negative integer, got ${count}`);
  }
  if (names !== undefined && names.length !== count) {
    throw new SolverError(
      'SOLVER_BAD_COUNT',
      `solver/framework: ${names.length} names given for ${count} arguments`,
    );
  }
  const edges = new EdgeList(Array.isArray(attacks) ? attacks.length : 16);
  for (const [from, to] of attacks) {
    if (!Number.isInteger(from) || from < 0 || from >= count || !Number.isInteger(to) || to < 0 || to >= count) {
      throw new SolverRangeError(
        `solver/framework: attack (${from}, ${to}) names an id outside 0..${count - 1}`,
      );
    }
    edges.push(from, to);
  }
  return frameworkFromEdges(count, edges, names === undefined ? undefined : [...names]);
}
