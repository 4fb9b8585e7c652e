/**
 * Which arguments are candidate decisions: decision arguments other than better-decision ones. A
 * better-decision argument (ASBD) argues that one option beats another; it attacks the worse decision but is
 * not itself a candidate, so it takes no part in the mutual exclusion.
 */
import type { ArgumentGraph } from './argument-graph.js';
import type { ArgumentNode } from './types.js';

/** The better-decision scheme of the shipped schemes (the engine's default `betterDecisionScheme`). */
export const DEFAULT_BETTER_DECISION_SCHEME = 'ASBD';

/**
 * The candidate decision arguments of the graph, in insertion order. O(|A|).
 * @param betterDecisionScheme id of the better-decision scheme, excluded.
 */
export function candidateDecisions(graph: ArgumentGraph, betterDecisionScheme: string): ArgumentNode[] {
  return graph.argumentsWhere(
    (a) => a.kind === 'decision' && a.option !== undefined && a.scheme !== betterDecisionScheme,
  );
}
