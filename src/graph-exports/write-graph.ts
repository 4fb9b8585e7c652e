/**
 * One entry point for every export of a case's argument graph, with the content type each format is served
 * with: graphology JSON, Graphviz DOT, AIF JSON, ICCMA 2023 and APX (DESIGN.md "The graph").
 */
import { writeApx, writeIccma } from '../../solver/index.js';
import type { DeliberationGraph } from '../engine/types.js';
import { type AifScheme, toAif } from './to-aif.js';
import { toDot } from './to-dot.js';
import { toFramework } from './to-framework.js';
import { toGraphologyJson } from './to-graphology.js';

export const GRAPH_FORMATS = ['json', 'dot', 'aif', 'iccma', 'apx'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** A rendered export: the text, its media type and the file extension a download would use. */
export interface GraphExport {
  body: string;
  contentType: string;
  extension: string;
}

/**
 * Renders a graph in one format. `schemes` let AIF aim a premise challenge at the premise (see to-aif.ts). DOT draws it as `argmed decide --format dot` does (see to-dot.ts). ICCMA numbers the arguments
 * 1..N in graph order and lists `# i <argument id>` comment lines as the map back. O(|A| + |R|).
 */
export function writeGraph(
  graph: DeliberationGraph,
  format: GraphFormat,
  schemes: readonly AifScheme[] = [],
): GraphExport {
  switch (format) {
    case 'json':
      return {
        body: JSON.stringify(toGraphologyJson(graph)),
        contentType: 'application/json; charset=utf-8',
        extension: 'json',
      };
    case 'aif':
      return {
        body: JSON.stringify(toAif(graph, schemes)),
        contentType: 'application/json; charset=utf-8',
        extension: 'aif.json',
      };
    case 'dot': {
      return {
        body: toDot(graph),
        contentType: 'text/vnd.graphviz; charset=utf-8',
        extension: 'dot',
      };
    }
    case 'iccma':
      return {
        body: writeIccma(toFramework(graph).framework),
        contentType: 'text/plain; charset=utf-8',
        extension: 'i23',
      };
    case 'apx':
      return {
        body: writeApx(toFramework(graph).framework),
        contentType: 'text/plain; charset=utf-8',
        extension: 'apx',
      };
  }
}
