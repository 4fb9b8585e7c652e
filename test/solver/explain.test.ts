import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildFramework,
  defeaterOf,
  groundedLabelling,
  isCredulouslyAccepted,
  isScepticallyAccepted,
  justification,
  LABEL_IN,
  LABEL_OUT,
  LABEL_UNDEC,
  undecidedAttackers,
} from '../../solver/index.js';
import { arbitraryFramework } from './arbitrary.js';

describe('justification', () => {
  it('pairs every attacker of the argument and of its defenders with an IN defeater, settled in order', () => {
    fc.assert(
      fc.property(arbitraryFramework(12), ({ count, attacks }) => {
        const af = buildFramework(count, attacks);
        const labelling = groundedLabelling(af);
        const rank = new Map<number, number>();
        for (const [i, a] of labelling.order.entries()) rank.set(a, i);
        for (const arg of labelling.inArguments()) {
          const steps = justification(af, labelling, arg);
          const attackersListed = steps.map((s) => s.attacker);
          expect(new Set(attackersListed).size).toBe(attackersListed.length);
          const defenders = new Set([arg, ...steps.map((s) => s.defeater)]);
          for (const { attacker, defeater } of steps) {
            expect(labelling.labels[attacker]).toBe(LABEL_OUT);
            expect(labelling.labels[defeater]).toBe(LABEL_IN);
            expect(Array.from(af.attackersOf(attacker))).toContain(defeater);
            expect(rank.get(defeater)!).toBeLessThan(rank.get(attacker)!);
            expect(defeaterOf(af, labelling, attacker)).toBe(defeater);
          }
          // Closed: every attacker of every defender is answered.
          for (const d of defenders) for (const b of af.attackersOf(d)) expect(attackersListed).toContain(b);
          // In the order the solver settled the defeaters.
          const defeaterRanks = steps.map((s) => rank.get(s.defeater)!);
          expect(defeaterRanks).toEqual([...defeaterRanks].sort((x, y) => x - y));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('explains the reinstatement chain and refuses arguments that are not IN', () => {
    // e -> d -> c -> b -> a as ids 4 -> 3 -> 2 -> 1 -> 0.
    const af = buildFramework(
      5,
      [
        [1, 0],
        [2, 1],
        [3, 2],
        [4, 3],
      ],
      ['a', 'b', 'c', 'd', 'e'],
    );
    const labelling = groundedLabelling(af);
    expect(justification(af, labelling, 0)).toEqual([
      { attacker: 3, defeater: 4 },
      { attacker: 1, defeater: 2 },
    ]);
    expect(justification(af, labelling, 4)).toEqual([]);
    expect(() => justification(af, labelling, 1)).toThrow(expect.objectContaining({ code: 'SOLVER_NOT_IN' }));
    expect(() => justification(af, labelling, 9)).toThrow(
      expect.objectContaining({ code: 'SOLVER_ARG_OUT_OF_RANGE' }),
    );
  });

  it('answers in well under a millisecond on a 200-argument framework', () => {
    const count = 200;
    const attacks: Array<[number, number]> = [];
    // A binary tree: a is attacked by its children 2a+1 and 2a+2, so IN and OUT alternate by level.
    for (let a = 0; 2 * a + 1 < count; a++) {
      attacks.push([2 * a + 1, a]);
      if (2 * a + 2 < count) attacks.push([2 * a + 2, a]);
    }
    const af = buildFramework(count, attacks);
    const labelling = groundedLabelling(af);
    const inArgs = labelling.inArguments();
    const deepest = Math.max(...inArgs.map((a) => justification(af, labelling, a).length));
    expect(deepest).toBeGreaterThanOrEqual(10);
    const rounds = 200;
    // Warm the JIT first: the engine calls these per case in a long-running process.
    for (let r = 0; r < rounds; r++) justification(af, groundedLabelling(af), inArgs[r % inArgs.length]);
    const started = performance.now();
    for (let r = 0; r < rounds; r++) {
      const l = groundedLabelling(af);
      justification(af, l, inArgs[r % inArgs.length]);
    }
    expect((performance.now() - started) / rounds).toBeLessThan(1);
  });
});

describe('defeaterOf and undecidedAttackers', () => {
  it('gives the earliest settled IN attacker of an OUT argument and nothing otherwise', () => {
    fc.assert(
      fc.property(arbitraryFramework(12), ({ count, attacks }) => {
        const af = buildFramework(count, attacks);
        const labelling = groundedLabelling(af);
        const rank = new Map<number, number>();
        for (const [i, a] of labelling.order.entries()) rank.set(a, i);
        for (let a = 0; a < count; a++) {
          const d = defeaterOf(af, labelling, a);
          const inAttackers = Array.from(af.attackersOf(a)).filter((b) => labelling.labels[b] === LABEL_IN);
          if (labelling.labels[a] !== LABEL_OUT) expect(d).toBeUndefined();
          else expect(d).toBe(inAttackers.sort((x, y) => rank.get(x)! - rank.get(y)!)[0]);
          const undecided = undecidedAttackers(af, labelling, a);
          expect(undecided.every((b) => labelling.labels[b] === LABEL_UNDEC)).toBe(true);
          if (labelling.labels[a] === LABEL_UNDEC) expect(undecided.length).toBeGreaterThan(0);
          if (labelling.labels[a] === LABEL_IN) expect(undecided).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('acceptance under grounded semantics', () => {
  it('accepts credulously and sceptically exactly the IN arguments', () => {
    fc.assert(
      fc.property(arbitraryFramework(10), ({ count, attacks }) => {
        const af = buildFramework(count, attacks);
        const labelling = groundedLabelling(af);
        for (let a = 0; a < count; a++) {
          const isIn = labelling.labels[a] === LABEL_IN;
          expect(isCredulouslyAccepted(af, labelling, a)).toBe(isIn);
          expect(isScepticallyAccepted(af, undefined, a)).toBe(isIn);
        }
      }),
    );
    expect(() => isCredulouslyAccepted(buildFramework(1, []), undefined, 1)).toThrow(
      expect.objectContaining({ code: 'SOLVER_ARG_OUT_OF_RANGE' }),
    );
  });
});
