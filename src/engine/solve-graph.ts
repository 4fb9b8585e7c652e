/**
 * Solves the argument graph under grounded semantics: converts it once to the solver's integer framework
 * (`frameworkFromGraph`), labels it, and maps the answers back to argument ids. The solver works on typed
 * arrays; nothing here touches graphology inside a loop over the framework.
 */
import { defeaterOf, groundedLabelling, justification, undecidedAttackers } from '../../solver/index.js';
import type { ArgumentGraph } from './argument-graph.js';
import { frameworkFromGraph } from './framework-from-graph.js';
import type { JustificationStep, Label } from './types.js';

/** The grounded labelling of a graph, by argument id. */
export interface GraphSolution {
  labels: Map<string, Label>;
  /** Argument ids in the order the solver settled them. */
  settled: string[];
  label(id: string): Label;
  /** For an IN argument: each attacker with the IN argument that defeats it, recursively. */
  justification(id: string): JustificationStep[];
  /** For an OUT argument: one IN attacker. */
  defeater(id: string): string | undefined;
  /** The UNDEC attackers of an argument. */
  undecidedAttackers(id: string): string[];
}

/**
 * Labels the graph and stores the labels on its nodes. O(|A| + |R|).
 */
export function solveGraph(graph: ArgumentGraph): GraphSolution {
  const { framework: af, names: ids, index } = frameworkFromGraph(graph.graph);
  const lab = groundedLabelling(af);
  const labels = new Map<string, Label>();
  for (let i = 0; i < ids.length; i++) labels.set(ids[i], lab.label(i));
  graph.setLabels(labels);
  const at = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`argmed/engine/solve-graph: unknown argument "${id}"`);
    return i;
  };
  return {
    labels,
    settled: Array.from(lab.order, (i) => ids[i]),
    label: (id) => labels.get(id) ?? 'UNDEC',
    justification: (id) =>
      justification(af, lab, at(id)).map((step) => ({
        attacker: ids[step.attacker],
        defeater: ids[step.defeater],
      })),
    defeater: (id) => {
      const d = defeaterOf(af, lab, at(id));
      return d === undefined ? undefined : ids[d];
    },
    undecidedAttackers: (id) => Array.from(undecidedAttackers(af, lab, at(id)), (i) => ids[i]),
  };
}
