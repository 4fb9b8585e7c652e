import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFramework, groundedLabelling, LABEL_IN, LABEL_OUT, LABEL_UNDEC } from '../../solver/index.js';
import {
  arbitraryFramework,
  attackedBy,
  attackerMasks,
  bruteForceGrounded,
  characteristic,
  conflictFree,
  members,
} from './arbitrary.js';

describe('groundedLabelling', () => {
  it('equals the least complete extension found by enumerating every subset', () => {
    fc.assert(
      fc.property(arbitraryFramework(12), (random) => {
        const labelling = groundedLabelling(buildFramework(random.count, random.attacks));
        expect(labelling.inArguments()).toEqual(
          members(bruteForceGrounded(attackerMasks(random)), random.count),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('equals the least fixpoint of the characteristic function iterated from the empty set', () => {
    fc.assert(
      fc.property(arbitraryFramework(12), (random) => {
        const masks = attackerMasks(random);
        let set = 0;
        for (let next = characteristic(masks, set); next !== set; next = characteristic(masks, set))
          set = next;
        expect(groundedLabelling(buildFramework(random.count, random.attacks)).inArguments()).toEqual(
          members(set, random.count),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('is conflict-free and admissible, and its labels follow the labelling rules', () => {
    fc.assert(
      fc.property(arbitraryFramework(12), (random) => {
        const af = buildFramework(random.count, random.attacks);
        const { labels } = groundedLabelling(af);
        const masks = attackerMasks(random);
        let inSet = 0;
        for (let a = 0; a < af.count; a++) if (labels[a] === LABEL_IN) inSet |= 1 << a;
        expect(conflictFree(masks, inSet)).toBe(true);
        // Admissible: every member's attackers are attacked by the set.
        expect(characteristic(masks, inSet) & inSet).toBe(inSet);
        const outSet = attackedBy(masks, inSet);
        for (let a = 0; a < af.count; a++) {
          const attackers = Array.from(af.attackersOf(a));
          if (labels[a] === LABEL_IN) expect(attackers.every((b) => labels[b] === LABEL_OUT)).toBe(true);
          if (labels[a] === LABEL_OUT) {
            expect(attackers.some((b) => labels[b] === LABEL_IN)).toBe(true);
            expect(outSet & (1 << a)).not.toBe(0);
          }
          if (labels[a] === LABEL_UNDEC) {
            expect(attackers.some((b) => labels[b] === LABEL_IN)).toBe(false);
            expect(attackers.some((b) => labels[b] === LABEL_UNDEC)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('settles every IN and OUT argument once, each after the attackers that decided it', () => {
    fc.assert(
      fc.property(arbitraryFramework(12), (random) => {
        const af = buildFramework(random.count, random.attacks);
        const labelling = groundedLabelling(af);
        const rank = new Map<number, number>();
        for (const [i, a] of labelling.order.entries()) rank.set(a, i);
        expect(rank.size).toBe(labelling.order.length);
        for (let a = 0; a < af.count; a++) {
          const label = labelling.labels[a];
          expect(rank.has(a)).toBe(label !== LABEL_UNDEC);
          const attackers = Array.from(af.attackersOf(a));
          if (label === LABEL_IN) for (const b of attackers) expect(rank.get(b)!).toBeLessThan(rank.get(a)!);
          if (label === LABEL_OUT) {
            const first = Math.min(
              ...attackers.filter((b) => labels(b) === LABEL_IN).map((b) => rank.get(b)!),
            );
            expect(first).toBeLessThan(rank.get(a)!);
          }
        }
        function labels(b: number): number {
          return labelling.labels[b];
        }
      }),
      { numRuns: 200 },
    );
  });

  it('handles the empty framework, isolated and self-attacking arguments, and duplicate attacks', () => {
    expect(groundedLabelling(buildFramework(0, [])).inArguments()).toEqual([]);
    const isolated = groundedLabelling(buildFramework(3, []));
    expect([isolated.label(0), isolated.label(1), isolated.label(2)]).toEqual(['IN', 'IN', 'IN']);
    // 0 attacks itself and 1; 2 attacks 0 and is unattacked, so 0 is OUT and 1 reinstated.
    const self = groundedLabelling(
      buildFramework(3, [
        [0, 0],
        [0, 1],
        [2, 0],
      ]),
    );
    expect([self.label(0), self.label(1), self.label(2)]).toEqual(['OUT', 'IN', 'IN']);
    const lonelySelf = groundedLabelling(
      buildFramework(2, [
        [0, 0],
        [0, 1],
      ]),
    );
    expect([lonelySelf.label(0), lonelySelf.label(1)]).toEqual(['UNDEC', 'UNDEC']);
    // A duplicated attack must not leave its target waiting for a second decrement.
    const duplicates = groundedLabelling(
      buildFramework(3, [
        [2, 1],
        [1, 0],
        [1, 0],
        [1, 0],
      ]),
    );
    expect(duplicates.inArguments()).toEqual([0, 2]);
  });

  it('labels long chains and odd cycles correctly at scale', () => {
    const n = 200_001;
    const chain = buildFramework(
      n,
      Array.from({ length: n - 1 }, (_, i) => [i + 1, i] as [number, number]),
    );
    const labels = groundedLabelling(chain).labels;
    // The last argument is unattacked: IN, then alternating back to argument 0.
    for (const a of [0, 1, 2, n - 2, n - 1])
      expect(labels[a]).toBe((n - 1 - a) % 2 === 0 ? LABEL_IN : LABEL_OUT);
    const cycle = buildFramework(
      n,
      Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]),
    );
    expect(groundedLabelling(cycle).order.length).toBe(0);
  });
});
