/**
 * Converts a DeliberationGraph (string argument ids) into the solver's integer framework, keeping the map
 * between the two: argument `i` of the framework is `names[i]`, the graph's id. The engine's ids (`a1`, `a2`,
 * ...) are plain ASP constants, so APX and DOT keep them as names, and ICCMA lists them as `# i name` comments.
 * Attacks naming an argument the graph does not hold are skipped (the engine never produces them).
 */
import { buildFramework, type Framework } from '../../solver/index.js';
import type { DeliberationGraph } from '../engine/types.js';

/** A framework with the id maps both ways. */
export interface MappedFramework {
  framework: Framework;
  /** Graph argument id of each framework argument. */
  names: string[];
  /** Framework argument of each graph argument id. */
  index: Map<string, number>;
}

/**
 * Builds the solver framework of a deliberation graph. O(|A| + |R|).
 * @param graph the graph of a case (nodes in insertion order, attacks `from -> to`).
 */
export function toFramework(graph: DeliberationGraph): MappedFramework {
  const names = graph.nodes.map((node) => node.id);
  const index = new Map(names.map((name, i) => [name, i]));
  const attacks: Array<[number, number]> = [];
  for (const attack of graph.attacks) {
    const from = index.get(attack.from);
    const to = index.get(attack.to);
    if (from !== undefined && to !== undefined) attacks.push([from, to]);
  }
  return { framework: buildFramework(names.length, attacks, names), names, index };
}
