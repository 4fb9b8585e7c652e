/**
 * Converts a stored DeliberationGraph (string argument ids) into the solver's integer framework through the
 * engine's one conversion (`frameworkFromGraph`), keeping the map between the two: argument `i` of the
 * framework is `names[i]`, the graph's id. The engine's ids (`a1`, `a2`, ...) are plain ASP constants, so APX
 * keeps them as names, and ICCMA lists them as `# i name` comments. Attacks naming an argument the graph does
 * not hold are skipped (the engine never produces them).
 */
import { frameworkFromGraph, type MappedFramework } from '../engine/framework-from-graph.js';
import type { DeliberationGraph } from '../engine/types.js';
import { toGraphology } from './to-graphology.js';

/**
 * Builds the solver framework of a deliberation graph. O(|A| + |R|).
 * @param graph the graph of a case (nodes in insertion order, attacks `from -> to`).
 */
export function toFramework(graph: DeliberationGraph): MappedFramework {
  return frameworkFromGraph(toGraphology(graph));
}
