/**
 * Candidate decisions for one question exclude each other (DESIGN.md): every decision argument attacks every
 * decision argument for another option, both ways, with the question `exclusive`. Decision arguments for
 * the same option do not attack each other.
 */
import { candidateDecisions } from './candidate-decisions.js';
import type { DeliberationState } from './deliberation-state.js';

/** The question label of mutual-exclusion attacks. */
export const EXCLUSIVE = 'exclusive';

/**
 * Adds the missing exclusion attacks (idempotent: existing pairs are kept) and emits them.
 * O(d^2) for d decision arguments (d is small: at most a few per option).
 */
export function addExclusiveAttacks(state: DeliberationState): void {
  const decisions = candidateDecisions(state.graph, state.betterDecisionScheme);
  for (const a of decisions) {
    for (const b of decisions) {
      if (a.option === b.option) continue;
      const attack = state.graph.addAttack(
        a.id,
        b.id,
        EXCLUSIVE,
        `options "${a.option}" and "${b.option}" exclude each other`,
      );
      if (attack) state.emit({ type: 'attack-added', attack });
    }
  }
}
