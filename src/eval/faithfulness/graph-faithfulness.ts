/**
 * Faithfulness of an argmed explanation, checked on its own graph with the solver (no model call). The
 * explanation of a decision is its justification set E (the decision and the IN arguments that defend it).
 * - Sufficiency: E with every attacker of its members (and the attacks among them), solved on its own,
 *   labels the decision IN. An explanation that leaves out a needed defender fails: the attacker it should
 *   answer is then left standing.
 * - Necessity / minimality: a member m (other than the decision) is redundant when E without m, again with
 *   the attackers of what remains, still labels the decision IN. The share of redundant members says how
 *   much of the explanation the decision does not need.
 * Grounded justifications built by the solver are sufficient by construction, so insufficiency means a bug
 * or a tampered record; redundancy is real (two defenders answering one attacker).
 */
import type { AttackEdge, DeliberationGraph } from '../../engine/types.js';
import type { ArgmedDetails } from '../types.js';
import { labelSubgraph } from './label-subgraph.js';

export interface GraphFaithfulness {
  sufficient: boolean;
  /** Justification members other than the decision. */
  members: number;
  /** Ids of the members whose removal leaves the decision IN. */
  redundant: string[];
}

function withAttackers(members: ReadonlySet<string>, attacks: readonly AttackEdge[]): Set<string> {
  const keep = new Set(members);
  for (const a of attacks) if (members.has(a.to)) keep.add(a.from);
  return keep;
}

function decisionHolds(decision: string, members: ReadonlySet<string>, graph: DeliberationGraph): boolean {
  return labelSubgraph(graph, withAttackers(members, graph.attacks)).get(decision) === 'IN';
}

/**
 * The graph faithfulness of a decided deliberation; undefined when there is no decision to explain.
 * O(|E| · (|A| + |R|)).
 */
export function graphFaithfulness(details: Pick<ArgmedDetails, 'status' | 'graph' | 'explanationArguments'>): GraphFaithfulness | undefined {
  if (details.status !== 'decided' || details.explanationArguments.length === 0) return undefined;
  const [decision, ...defenders] = details.explanationArguments;
  const all = new Set(details.explanationArguments);
  const redundant = defenders.filter((m) => {
    const without = new Set(all);
    without.delete(m);
    return decisionHolds(decision, without, details.graph);
  });
  return { sufficient: decisionHolds(decision, all, details.graph), members: defenders.length, redundant };
}
