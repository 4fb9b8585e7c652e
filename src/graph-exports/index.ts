/** Exports of a case's argument graph: graphology JSON, AIF, DOT, and the solver's ICCMA and APX writers. */
export {
  type AifDocument,
  type AifEdge,
  type AifLocution,
  type AifNode,
  type AifScheme,
  toAif,
} from './to-aif.js';
export { toDot } from './to-dot.js';
export { toFramework } from './to-framework.js';
export { toGraphology, toGraphologyJson } from './to-graphology.js';
export { GRAPH_FORMATS, type GraphExport, type GraphFormat, writeGraph } from './write-graph.js';
