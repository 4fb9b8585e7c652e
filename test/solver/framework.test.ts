import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildFramework,
  EdgeList,
  frameworkFromEdges,
  type SolverError,
  SolverRangeError,
} from '../../solver/index.js';
import { arbitraryFramework } from './arbitrary.js';

function distinct(attacks: Array<[number, number]>): Set<string> {
  return new Set(attacks.map(([a, b]) => `${a} ${b}`));
}

describe('buildFramework', () => {
  it('keeps every distinct attack once, in both row directions, rows sorted', () => {
    fc.assert(
      fc.property(arbitraryFramework(12), ({ count, attacks }) => {
        const af = buildFramework(count, attacks);
        const expected = distinct(attacks);
        expect(af.attackCount).toBe(expected.size);
        const fromTargets = new Set<string>();
        const fromAttackers = new Set<string>();
        for (let a = 0; a < count; a++) {
          const targets = Array.from(af.targetsOf(a));
          const attackers = Array.from(af.attackersOf(a));
          expect(targets).toEqual([...targets].sort((x, y) => x - y));
          expect(attackers).toEqual([...attackers].sort((x, y) => x - y));
          for (const t of targets) fromTargets.add(`${a} ${t}`);
          for (const b of attackers) fromAttackers.add(`${b} ${a}`);
        }
        expect(fromTargets).toEqual(expected);
        expect(fromAttackers).toEqual(expected);
        expect(af.attackerStart.length).toBe(count + 1);
        expect(af.targetStart[count]).toBe(expected.size);
      }),
      { numRuns: 300 },
    );
  });

  it('names arguments 1..N by default and resolves names both ways', () => {
    const af = buildFramework(3, [[0, 1]]);
    expect(af.names).toEqual(['1', '2', '3']);
    expect(af.numericNames).toBe(true);
    expect(af.idOf('3')).toBe(2);
    expect(af.idOf('4')).toBeUndefined();
    expect(af.idOf('01')).toBeUndefined();
    const named = buildFramework(2, [[1, 0]], ['fever', 'sepsis']);
    expect(named.nameOf(1)).toBe('sepsis');
    expect(named.idOf('fever')).toBe(0);
    expect(named.idOf('1')).toBeUndefined();
  });

  it('throws typed errors for ids out of range, bad counts and wrong name lists', () => {
    expect(() => buildFramework(2, [[0, 2]])).toThrow(SolverRangeError);
    expect(() => buildFramework(2, [[-1, 0]])).toThrow(/outside 0\.\.1/);
    expect(() => buildFramework(2, [[0.5, 1]])).toThrow(SolverRangeError);
    try {
      buildFramework(1, [[0, 1]]);
    } catch (error) {
      expect((error as SolverError).code).toBe('SOLVER_ARG_OUT_OF_RANGE');
    }
    expect(() => buildFramework(-1, [])).toThrow(expect.objectContaining({ code: 'SOLVER_BAD_COUNT' }));
    expect(() => buildFramework(2, [], ['a'])).toThrow(expect.objectContaining({ code: 'SOLVER_BAD_COUNT' }));
  });

  it('builds large frameworks through the partitioned path with the same rows as a plain set', () => {
    // More than 2^20 attacks and 2^14 arguments selects the bucket partitioning.
    const count = 40_000;
    const m = 1_200_000;
    const edges = new EdgeList(16);
    let x = 987654321;
    const next = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % count;
    };
    const expected = new Set<number>();
    for (let e = 0; e < m; e++) {
      // A skewed source distribution gives some long rows (native sort path) and many duplicates.
      const from = e % 7 === 0 ? 5 : next();
      const to = next() % (e % 3 === 0 ? 50 : count);
      edges.push(from, to);
      expected.add(from * count + to);
    }
    const af = frameworkFromEdges(count, edges);
    expect(af.attackCount).toBe(expected.size);
    let checked = 0;
    for (let a = 0; a < count; a++) {
      const row = af.targetsOf(a);
      for (let i = 0; i < row.length; i++) {
        if (i > 0 && row[i] <= row[i - 1]) throw new Error(`row ${a} is not sorted and unique`);
        if (!expected.has(a * count + row[i])) throw new Error(`unexpected attack ${a} -> ${row[i]}`);
        checked++;
      }
    }
    expect(checked).toBe(expected.size);
    let attackerTotal = 0;
    for (let a = 0; a < count; a++) attackerTotal += af.attackersOf(a).length;
    expect(attackerTotal).toBe(expected.size);
  });
});
