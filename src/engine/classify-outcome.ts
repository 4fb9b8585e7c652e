/**
 * Reads the outcome off a solved graph (DESIGN.md "decide"): one option with an IN decision argument is the
 * decision; every decision OUT means no decision is justified (by verified arguments: a doubt is never IN while
 * its target could be). Otherwise some decisions are UNDEC, and the UNDEC arguments behind them say why: doubts
 * that are knowledge gaps make it `insufficient-knowledge`, doubts of incomplete work `incomplete` (which wins,
 * since its gaps may hide anything); with no doubt in the way, decisions UNDEC only because they exclude each
 * other are a tie that a better-decision round may break (`undecided`).
 */
import { candidateDecisions } from './candidate-decisions.js';
import type { DeliberationState } from './deliberation-state.js';
import { isDoubt, isKnowledgeGap, openQuestion } from './doubts.js';
import type { GraphSolution } from './solve-graph.js';
import type { ArgumentNode, OpenQuestion, PendingOption } from './types.js';

export type Outcome =
  | { status: 'decided'; decision: ArgumentNode }
  | {
      status: 'undecided';
      /** Options with an UNDEC decision argument. */
      undecided: string[];
      /** Decision arguments UNDEC only through the mutual exclusion of decisions (a better-decision round may help). */
      tied: ArgumentNode[];
    }
  | { status: 'no-justified-decision' }
  | {
      status: 'insufficient-knowledge' | 'incomplete';
      openQuestions: OpenQuestion[];
      pending: PendingOption[];
    };

/** Classifies the solved graph. O(|A| + |R|) for the walk behind the undecided decisions. */
export function classifyOutcome(state: DeliberationState, solution: GraphSolution): Outcome {
  const decisions = candidateDecisions(state.graph, state.betterDecisionScheme);
  const accepted = decisions.filter((d) => solution.label(d.id) === 'IN');
  if (accepted.length > 0) return { status: 'decided', decision: accepted[0] };
  const open = decisions.filter((d) => solution.label(d.id) === 'UNDEC');
  if (open.length === 0) return { status: 'no-justified-decision' };
  const isDecision = new Set(decisions.map((d) => d.id));
  const all = doubtsBehind(
    state,
    solution,
    open.map((d) => d.id),
    () => false,
  );
  if (all.length === 0) {
    const tied = open.filter((d) =>
      solution.undecidedAttackers(d.id).every((attacker) => isDecision.has(attacker)),
    );
    return { status: 'undecided', undecided: unique(open.map((d) => d.option!)), tied };
  }
  const openQuestions = all.map(openQuestion);
  const status = openQuestions.every((q) => isKnowledgeGap(q.cause))
    ? 'insufficient-knowledge'
    : 'incomplete';
  const pending = open.map((d): PendingOption => {
    const own = doubtsBehind(state, solution, [d.id], (id) => id !== d.id && isDecision.has(id)).map(
      openQuestion,
    );
    return {
      option: d.option!,
      argument: d.id,
      openQuestions: own.map((q) => q.id),
      justifiedIf:
        own.length > 0
          ? unique(own.map((q) => q.settle))
          : ['the open questions of the other options are settled against them'],
    };
  });
  return { status, openQuestions, pending };
}

/**
 * The doubt arguments reachable backwards from `from` through UNDEC attackers, in id order.
 * @param stop arguments the walk does not pass through (it still looks at nothing behind them).
 */
function doubtsBehind(
  state: DeliberationState,
  solution: GraphSolution,
  from: string[],
  stop: (id: string) => boolean,
): ArgumentNode[] {
  const seen = new Set(from);
  const queue = [...from];
  const found: ArgumentNode[] = [];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const attacker of solution.undecidedAttackers(id)) {
      if (seen.has(attacker) || stop(attacker)) continue;
      seen.add(attacker);
      const node = state.graph.argument(attacker);
      if (isDoubt(node)) found.push(node);
      queue.push(attacker);
    }
  }
  return found.sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
