/**
 * Conversion between graphology graphs and solver frameworks. Nodes become arguments (named by their
 * key, in the graph's node order); directed edges become attacks unless their `type` attribute says
 * otherwise (a `support` edge has no effect on the semantics). The engine converts its graph once and
 * solves on the typed arrays.
 */
import { DirectedGraph } from 'graphology';
import type { AbstractGraph, Attributes } from 'graphology-types';
import { EdgeList } from './edge-list.js';
import { SolverError } from './errors.js';
import { frameworkFromEdges } from './framework.js';
import { LABEL_NAMES, type Framework, type GroundedLabelling } from './types.js';

/** Options of {@link frameworkFromGraph}. */
export interface FromGraphOptions {
  /** Which edges are attacks; default: directed edges whose `type` is absent or `attack`. */
  isAttack?: (attributes: Attributes) => boolean;
}

const defaultIsAttack = (attributes: Attributes): boolean =>
  attributes.type === undefined || attributes.type === 'attack';

/**
 * Builds a framework from a graphology graph: argument i is the i-th node, named by its key.
 * Undirected edges are ignored. Complexity O(|V| + |E|).
 * @returns the framework and the node keys by argument id
 */
export function frameworkFromGraph(
  graph: AbstractGraph,
  { isAttack = defaultIsAttack }: FromGraphOptions = {},
): { framework: Framework; keys: string[] } {
  const keys = graph.nodes();
  const index = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) index.set(keys[i], i);
  const edges = new EdgeList(graph.size);
  graph.forEachEdge((_edge, attributes, source, target, _sa, _ta, undirected) => {
    if (!undirected && isAttack(attributes)) edges.push(index.get(source)!, index.get(target)!);
  });
  return { framework: frameworkFromEdges(keys.length, edges, keys), keys };
}

/**
 * Builds a graphology directed graph from a framework: node keys are the names, edges carry
 * `type: 'attack'`, and nodes carry `label` when a labelling is given. Complexity O(|A| + |R|).
 * @throws SolverError SOLVER_UNWRITABLE_NAME when two arguments share a name
 */
export function graphFromFramework(af: Framework, labelling?: GroundedLabelling): DirectedGraph {
  const graph = new DirectedGraph({ allowSelfLoops: true });
  for (let a = 0; a < af.count; a++) {
    const name = af.nameOf(a);
    if (graph.hasNode(name)) {
      throw new SolverError(
        'SOLVER_UNWRITABLE_NAME',
        `solver/graphology: two arguments are named ${JSON.stringify(name)}`,
      );
    }
    graph.addNode(name, labelling === undefined ? {} : { label: LABEL_NAMES[labelling.labels[a]] });
  }
  for (let a = 0; a < af.count; a++) {
    for (let i = af.targetStart[a]; i < af.targetStart[a + 1]; i++) {
      graph.addDirectedEdge(af.nameOf(a), af.nameOf(af.targets[i]), { type: 'attack' });
    }
  }
  return graph;
}
