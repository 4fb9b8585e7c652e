/** Exports of a case's argument graph: graphology JSON, AIF, and the solver's DOT, ICCMA and APX writers. */
export { type AifDocument, type AifEdge, type AifNode, toAif } from './to-aif.js';
export { type MappedFramework, toFramework } from './to-framework.js';
export { toGraphology, toGraphologyJson } from './to-graphology.js';
export { GRAPH_FORMATS, type GraphExport, type GraphFormat, writeGraph } from './write-graph.js';
