/**
 * Graphviz DOT of a deliberation graph, as `argmed decide --format dot` prints it and the API serves it:
 * decision arguments as boxes, beliefs as ellipses, each node titled by its id, scheme and option, with its
 * text wrapped and its label, filled by label (IN green, OUT red, UNDEC grey), attacks as arrows
 * labelled with the critical question. Drawn by the solver's one DOT writer.
 */
import { writeDot } from '../../solver/index.js';
import type { DeliberationGraph } from '../engine/types.js';
import { toFramework } from './to-framework.js';

/**
 * Renders the graph as a DOT digraph, nodes filled by the labels the engine stored (none while a case is still
 * being argued: a node without a label is drawn white). O(|A| + |R|).
 * @param name the graph's name (quoted; any text is fine).
 */
export function toDot(graph: DeliberationGraph, name = 'argmed'): string {
  const { framework, names } = toFramework(graph);
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const questions = new Map(graph.attacks.map((attack) => [`${attack.from} ${attack.to}`, attack.question]));
  return writeDot(framework, undefined, {
    name,
    text: (a) => {
      const node = nodes.get(names[a])!;
      const title =
        node.option !== undefined
          ? `${node.id} ${node.scheme} [${node.option}]`
          : `${node.id} ${node.scheme}`;
      return `${title}\n${wrap(node.text)}`;
    },
    box: (a) => nodes.get(names[a])!.kind === 'decision',
    label: (a) => nodes.get(names[a])!.label,
    attackLabel: (from, to) => questions.get(`${names[from]} ${names[to]}`),
  });
}

/** Breaks long text into lines of about 40 characters so nodes stay readable. */
function wrap(text: string, width = 40): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
