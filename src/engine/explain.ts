/**
 * The explanation of a solved deliberation (DESIGN.md "explain"): for the decision, its justification (for
 * each attacker, the IN argument that defeats it, recursively, in the solver's settle order); for every
 * rejected option, the IN arguments that defeat it. Built from the graph alone: no model call.
 */
import type { ArgumentGraph } from './argument-graph.js';
import { EXCLUSIVE } from './exclusive-attacks.js';
import { candidateDecisions } from './candidate-decisions.js';
import type { Outcome } from './classify-outcome.js';
import type { GraphSolution } from './solve-graph.js';
import type { JustificationStep, RejectedOption } from './types.js';

/** The structured explanation. */
export interface Explanation {
  justification: JustificationStep[];
  /** The decision's argument first, then its defenders in settle order. */
  explanationArguments: string[];
  rejected: RejectedOption[];
}

/**
 * Explains an outcome. O(|A| + |R|) for the justification plus the attackers of each decision argument.
 * @param betterDecisionScheme id of the better-decision scheme (its arguments are not candidates).
 */
export function explain(
  graph: ArgumentGraph,
  solution: GraphSolution,
  outcome: Outcome,
  betterDecisionScheme: string,
): Explanation {
  const decided = outcome.status === 'decided' ? outcome.decision : undefined;
  const justification = decided ? solution.justification(decided.id) : [];
  const explanationArguments = decided ? [decided.id] : [];
  for (const step of justification) {
    if (!explanationArguments.includes(step.defeater)) explanationArguments.push(step.defeater);
  }
  const rejected = candidateDecisions(graph, betterDecisionScheme)
    .filter((d) => d.option !== decided?.option)
    .map(
      (d): RejectedOption => ({
        option: d.option!,
        argument: d.id,
        label: solution.label(d.id),
        defeaters: defeatersOf(graph, solution, d.id),
      }),
    );
  return { justification, explanationArguments, rejected };
}

/**
 * The IN attackers of a rejected decision argument. Being excluded by the chosen decision is true of every
 * rejected option and explains nothing, so exclusion attackers are listed only when there is no other.
 */
function defeatersOf(graph: ArgumentGraph, solution: GraphSolution, id: string): string[] {
  const defeaters = graph.attackers(id).filter((attacker) => solution.label(attacker) === 'IN');
  const substantive = defeaters.filter((attacker) => graph.attack(attacker, id)?.question !== EXCLUSIVE);
  return substantive.length > 0 ? substantive : defeaters;
}
