/**
 * Stale counter-arguments of a continued deliberation (a contested case's revision). When a corrected or new
 * fact makes arguments be asked again, the counters the back-end gave them earlier answered the old facts:
 * one the new verification gives again (identical, so the same id, and any contribution attacking it keeps
 * its target) stays and is itself asked again, since its own counters may be stale too; one it no longer
 * gives is removed with the back-end arguments that only attacked it. Without this a counter written for
 * "active bleeding" (or its rebuttal "no bleeding is stated") outlived the fact it rested on, and the revision
 * decided what a deliberation of the same facts would not. Better-decision arguments against an argument asked
 * again go as well: the comparison is redone when the decisions are still tied.
 *
 * Contributions, candidate decisions, exclusive attacks and arguments added by this continuation are never
 * removed here; an argument whose verification did not complete keeps its counters (it carries a doubt).
 */
import type { ArgumentGraph } from './argument-graph.js';
import type { DeliberationState } from './deliberation-state.js';
import { dropIdleArguments } from './drop-idle-arguments.js';
import { isDoubt } from './doubts.js';
import { EXCLUSIVE } from './exclusive-attacks.js';
import type { ArgumentNode } from './types.js';

/** What a continuation asks again and what its verifications give (`DeliberationState.reask`). */
export interface Reask {
  /** Ids in the graph when the continuation started. */
  before: ReadonlySet<string>;
  /** Arguments asked again (queued for verification). */
  asked: Set<string>;
  /** Of those, the ones whose verification completed. */
  verified: Set<string>;
  /** Attacks `from->to` the verifications gave, new or identical to one already there. */
  given: Set<string>;
}

/** A reask log for a continuation from `graph`. O(|A|). */
export function startReask(graph: ArgumentGraph): Reask {
  return { before: new Set(graph.graph.nodes()), asked: new Set(), verified: new Set(), given: new Set() };
}

/**
 * Whether an argument a continuation's back-end gives again is its own from before the continuation (not a
 * contribution, not new): such an argument keeps its id and is restated from the new draft. O(1).
 */
export function isEarlierBackEndArgument(
  state: DeliberationState,
  argument: Readonly<ArgumentNode>,
): boolean {
  return (
    state.reask?.before.has(argument.id) === true &&
    argument.agent === 'generator' &&
    argument.contribution === undefined
  );
}

/** The key of an attack in `Reask.given`. */
export function attackKey(from: string, to: string): string {
  return `${from}->${to}`;
}

/**
 * Removes the earlier doubts on an argument about to be asked again: they answered the old facts, and the new
 * verification writes again whatever is still open. O(degree).
 */
export function clearEarlierDoubts(state: DeliberationState, id: string): void {
  const { graph } = state;
  const reask = state.reask!;
  for (const attacker of graph.attackers(id)) {
    if (reask.before.has(attacker) && isDoubt(graph.graph.getNodeAttributes(attacker))) {
      graph.removeArgument(attacker);
    }
  }
}

/**
 * Removes the earlier back-end counters of the arguments verified again that the verification no longer
 * gives (see above). @returns the ids removed. O(|A| + |R|).
 */
export function sweepStaleCounters(state: DeliberationState): string[] {
  const { graph } = state;
  const reask = state.reask!;
  const removed: string[] = [];
  // Once a stale counter is gone, whatever only attacked it goes too, even if this continuation added it (a
  // rebuttal written to the stale counter when it was asked again).
  const backEnd = (node: Readonly<ArgumentNode>): boolean => node.contribution === undefined;
  for (const id of reask.verified) {
    if (!graph.graph.hasNode(id)) continue;
    for (const attacker of graph.attackers(id)) {
      if (!graph.graph.hasNode(attacker)) continue;
      const node = graph.graph.getNodeAttributes(attacker);
      if (!reask.before.has(attacker) || !backEnd(node) || isDoubt(node)) continue;
      if (graph.attack(attacker, id)?.question === EXCLUSIVE) continue;
      if (reask.given.has(attackKey(attacker, id))) continue;
      graph.dropAttack(attacker, id);
      removed.push(...dropIdleArguments(graph, [attacker], state.betterDecisionScheme, backEnd));
    }
  }
  return removed;
}
