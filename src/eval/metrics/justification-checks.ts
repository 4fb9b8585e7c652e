/**
 * Structural checks of an argmed explanation against its own graph: the justification set (the decision
 * and the IN arguments that defend it) must be conflict-free (no member attacks another) and must defend
 * the decision (every attacker of a member is attacked by some member), i.e. be an admissible set
 * containing the decision. Both are what grounded semantics guarantees, so a failure means a bug or a
 * tampered record.
 */
import type { AttackEdge } from '../../engine/types.js';

/** True when no argument of `set` attacks an argument of `set`. O(|R|). */
export function isConflictFree(set: ReadonlySet<string>, attacks: readonly AttackEdge[]): boolean {
  return !attacks.some((a) => set.has(a.from) && set.has(a.to));
}

/**
 * True when `set` contains `decision` and defends each of its members: every attacker of a member is
 * itself attacked by a member. O(|R|).
 */
export function defendsDecision(decision: string, set: ReadonlySet<string>, attacks: readonly AttackEdge[]): boolean {
  if (!set.has(decision)) return false;
  const counterAttacked = new Set(attacks.filter((a) => set.has(a.from)).map((a) => a.to));
  return attacks.every((a) => !set.has(a.to) || counterAttacked.has(a.from));
}
