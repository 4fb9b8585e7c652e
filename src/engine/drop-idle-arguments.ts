/**
 * Removes back-end arguments left attacking nothing once what they attacked is gone (a withdrawn contribution,
 * a stale counter), and in turn the back-end arguments that attacked only them, with the doubts on each. A
 * counter shared by two targets (identical counters are kept once) stays while either target does, so this
 * is decided by what an argument still attacks, not by when it was added. Candidate decisions, which may
 * attack nothing, are never removed, nor anything `mayGo` refuses.
 * Cost: O(degree) per argument looked at; each is removed at most once.
 */
import type { ArgumentGraph } from './argument-graph.js';
import { isDoubt } from './doubts.js';
import type { ArgumentNode } from './types.js';

/**
 * @param ids the arguments to look at (typically the attackers of one just removed).
 * @param mayGo whether an argument may be removed at all (contributions are not, for instance).
 * @returns the ids removed, doubts included, in removal order.
 */
export function dropIdleArguments(
  graph: ArgumentGraph,
  ids: readonly string[],
  betterDecisionScheme: string,
  mayGo: (argument: Readonly<ArgumentNode>) => boolean,
): string[] {
  const removed: string[] = [];
  const nodeOf = (id: string) => graph.graph.getNodeAttributes(id);
  const pending = [...ids];
  while (pending.length > 0) {
    const id = pending.pop()!;
    if (!graph.graph.hasNode(id)) continue;
    const node = nodeOf(id);
    if (!mayGo(node)) continue;
    if (!isDoubt(node) && node.kind === 'decision' && node.scheme !== betterDecisionScheme) continue;
    // A target's attack on its doubt is half of their mutual attack, not an attack on an argument.
    if (graph.graph.outNeighbors(id).some((to) => !isDoubt(nodeOf(to)))) continue;
    if (isDoubt(node) && graph.graph.outDegree(id) > 0) continue;
    pending.push(...graph.attackers(id));
    graph.removeArgument(id);
    removed.push(id);
  }
  return removed;
}
