/**
 * The one conversion of an argument graph into the solver's integer framework: a graphology graph's nodes
 * become arguments (named by their key, in the graph's node order), its directed edges attacks unless their
 * `type` attribute says otherwise (a `support` edge has no effect on the semantics). The engine converts its
 * graph once and solves on the typed arrays; the exports convert a stored graph the same way.
 */
import type { AbstractGraph, Attributes } from 'graphology-types';
import { EdgeList, type Framework, frameworkFromEdges } from '../../solver/index.js';

/** Options of {@link frameworkFromGraph}. */
export interface FromGraphOptions {
  /** Which edges are attacks; default: directed edges whose `type` is absent or `attack`. */
  isAttack?: (attributes: Attributes) => boolean;
}

/** A framework with the map between graph keys and framework arguments, both ways. */
export interface MappedFramework {
  framework: Framework;
  /** Graph key of each framework argument. */
  names: string[];
  /** Framework argument of each graph key. */
  index: Map<string, number>;
}

const defaultIsAttack = (attributes: Attributes): boolean =>
  attributes.type === undefined || attributes.type === 'attack';

/**
 * Builds a framework from a graphology graph: argument i is the i-th node, named by its key.
 * Undirected edges are ignored. Complexity O(|V| + |E|).
 */
export function frameworkFromGraph(
  graph: AbstractGraph,
  { isAttack = defaultIsAttack }: FromGraphOptions = {},
): MappedFramework {
  const names = graph.nodes();
  const index = new Map<string, number>();
  for (let i = 0; i < names.length; i++) index.set(names[i], i);
  const edges = new EdgeList(graph.size);
  graph.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) => {
    if (!undirected && isAttack(attributes)) edges.push(index.get(source)!, index.get(target)!);
  });
  return { framework: frameworkFromEdges(names.length, edges, names), names, index };
}
