/**
 * Reads the decision off a solved graph (DESIGN.md "decide"): one option with an IN decision argument is the
 * decision; no option IN but some decisions UNDEC only because they exclude each other is a tie that a
 * better-decision round may break; every decision OUT means no decision is justified.
 */
import { candidateDecisions } from './candidate-decisions.js';
import type { DeliberationState } from './deliberation-state.js';
import type { GraphSolution } from './solve-graph.js';
import type { ArgumentNode } from './types.js';

export type Outcome =
  | { status: 'decided'; decision: ArgumentNode }
  | {
      status: 'undecided';
      /** Options with an UNDEC decision argument. */
      undecided: string[];
      /** Decision arguments UNDEC only through the mutual exclusion of decisions (a better-decision round may help). */
      tied: ArgumentNode[];
    }
  | { status: 'no-justified-decision' };

/** Classifies the solved graph. O(d * k) for d decision arguments with k attackers each. */
export function classifyOutcome(state: DeliberationState, solution: GraphSolution): Outcome {
  const decisions = candidateDecisions(state.graph, state.betterDecisionScheme);
  const accepted = decisions.filter((d) => solution.label(d.id) === 'IN');
  if (accepted.length > 0) return { status: 'decided', decision: accepted[0] };
  const open = decisions.filter((d) => solution.label(d.id) === 'UNDEC');
  if (open.length === 0) return { status: 'no-justified-decision' };
  const isDecision = new Set(decisions.map((d) => d.id));
  const tied = open.filter((d) =>
    solution.undecidedAttackers(d.id).every((attacker) => isDecision.has(attacker)),
  );
  return { status: 'undecided', undecided: unique(open.map((d) => d.option!)), tied };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
