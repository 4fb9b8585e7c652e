/**
 * fast-check generators and brute-force references shared by the solver tests.
 */
import fc from 'fast-check';

/** A random framework: `count` arguments (0..max) and attacks between them (duplicates and self-attacks allowed). */
export interface RandomFramework {
  count: number;
  attacks: Array<[number, number]>;
}

/** Frameworks of up to `max` arguments with up to count² attacks (so dense graphs and duplicates occur). */
export function arbitraryFramework(max = 12): fc.Arbitrary<RandomFramework> {
  return fc
    .integer({ min: 0, max })
    .chain((count) =>
      count === 0
        ? fc.constant({ count, attacks: [] as Array<[number, number]> })
        : fc
            .array(fc.tuple(fc.nat(count - 1), fc.nat(count - 1)), { maxLength: count * count })
            .map((attacks) => ({ count, attacks })),
    );
}

/** Attacker sets as bit masks (bit b of attackersMask[a] set when b attacks a); count <= 30. */
export function attackerMasks({ count, attacks }: RandomFramework): number[] {
  const masks = new Array<number>(count).fill(0);
  for (const [from, to] of attacks) masks[to] |= 1 << from;
  return masks;
}

/** The characteristic function F(S) = { a | every attacker of a is attacked by S }, on bit masks. */
export function characteristic(masks: readonly number[], set: number): number {
  const attackedBySet = attackedBy(masks, set);
  let result = 0;
  for (let a = 0; a < masks.length; a++) if ((masks[a] & ~attackedBySet) === 0) result |= 1 << a;
  return result;
}

/** The arguments attacked by some member of `set`. */
export function attackedBy(masks: readonly number[], set: number): number {
  let result = 0;
  for (let a = 0; a < masks.length; a++) if ((masks[a] & set) !== 0) result |= 1 << a;
  return result;
}

/** True when no member of `set` attacks a member of `set`. */
export function conflictFree(masks: readonly number[], set: number): boolean {
  return (attackedBy(masks, set) & set) === 0;
}

/**
 * The grounded extension by brute force: enumerate every subset, keep the complete extensions
 * (conflict-free fixpoints of F), and return the least one (which must be below every other).
 */
export function bruteForceGrounded(masks: readonly number[]): number {
  const count = masks.length;
  const complete: number[] = [];
  for (let set = 0; set < 1 << count; set++) {
    if (conflictFree(masks, set) && characteristic(masks, set) === set) complete.push(set);
  }
  const least = complete.reduce((acc, set) => acc & set, (1 << count) - 1);
  if (!complete.includes(least)) throw new Error('no least complete extension: the reference is wrong');
  return least;
}

/** The ids of a bit mask in increasing order. */
export function members(set: number, count: number): number[] {
  const result: number[] = [];
  for (let a = 0; a < count; a++) if ((set & (1 << a)) !== 0) result.push(a);
  return result;
}
