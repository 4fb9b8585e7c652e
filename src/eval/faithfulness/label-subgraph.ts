/**
 * The grounded labelling of part of a deliberation graph: the arguments in `keep` and the attacks between
 * them, converted as every stored graph is (`toFramework`, through the engine's one graph → framework
 * conversion) and solved by the project's solver. Faithfulness measures re-solve explanations this way
 * instead of asking a model.
 */
import { groundedLabelling } from '../../../solver/index.js';
import type { DeliberationGraph, Label } from '../../engine/types.js';
import { toFramework } from '../../graph-exports/to-framework.js';

/**
 * Labels by argument id of the sub-framework induced by `keep` (ids the graph does not hold are left out).
 * O(|A| + |R|).
 */
export function labelSubgraph(graph: DeliberationGraph, keep: ReadonlySet<string>): Map<string, Label> {
  // Attacks with an end outside `keep` are dropped by the conversion, as attacks to unknown arguments are.
  const part = { nodes: graph.nodes.filter((node) => keep.has(node.id)), attacks: graph.attacks };
  const { framework, names } = toFramework(part);
  const labelling = groundedLabelling(framework);
  return new Map(names.map((id, i) => [id, labelling.label(i)]));
}
