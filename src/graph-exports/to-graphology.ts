/**
 * The graphology serialisation of a deliberation graph (DESIGN.md "The graph"): a `DirectedGraph` whose nodes
 * carry the argument (scheme, kind, option, premises, conclusion, text, round, agent, label) and whose edges
 * carry the attack (type, question, reason), exported with graphology's own `export()`.
 */
import { DirectedGraph } from 'graphology';
import type { SerializedGraph } from 'graphology-types';
import type { ArgumentNode, AttackEdge, DeliberationGraph } from '../engine/types.js';

type NodeAttributes = Omit<ArgumentNode, 'id'>;
type EdgeAttributes = Omit<AttackEdge, 'from' | 'to'>;

/**
 * Builds the graphology graph of a deliberation graph. Attacks to unknown arguments, and a second attack on
 * the same ordered pair, are skipped (the engine keeps one attack a pair). O(|A| + |R|).
 */
export function toGraphology(graph: DeliberationGraph): DirectedGraph<NodeAttributes, EdgeAttributes> {
  const out = new DirectedGraph<NodeAttributes, EdgeAttributes>();
  for (const { id, ...attributes } of graph.nodes) out.addNode(id, attributes);
  for (const { from, to, ...attributes } of graph.attacks) {
    if (out.hasNode(from) && out.hasNode(to) && !out.hasDirectedEdge(from, to)) {
      out.addDirectedEdgeWithKey(`${from}->${to}`, from, to, attributes);
    }
  }
  return out;
}

/** graphology's JSON serialisation of a deliberation graph (`{ options, attributes, nodes, edges }`). */
export function toGraphologyJson(graph: DeliberationGraph): SerializedGraph<NodeAttributes, EdgeAttributes> {
  return toGraphology(graph).export();
}
