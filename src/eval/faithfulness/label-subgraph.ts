/**
 * The grounded labelling of part of a deliberation graph: the arguments in `keep` and the attacks between
 * them, solved by the project's solver (typed arrays, O(|A| + |R|)). Faithfulness measures re-solve
 * explanations this way instead of asking a model.
 */
import { buildFramework, groundedLabelling } from '../../../solver/index.js';
import type { AttackEdge, Label } from '../../engine/types.js';

/** Labels by argument id of the sub-framework induced by `keep`. O(|keep| + |attacks|). */
export function labelSubgraph(keep: ReadonlySet<string>, attacks: readonly AttackEdge[]): Map<string, Label> {
  const ids = [...keep];
  const index = new Map(ids.map((id, i) => [id, i]));
  const pairs: Array<[number, number]> = [];
  for (const a of attacks) {
    const from = index.get(a.from);
    const to = index.get(a.to);
    if (from !== undefined && to !== undefined) pairs.push([from, to]);
  }
  const labelling = groundedLabelling(buildFramework(ids.length, pairs, ids));
  return new Map(ids.map((id, i) => [id, labelling.label(i)]));
}
