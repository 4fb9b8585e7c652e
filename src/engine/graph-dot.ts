/**
 * Graphviz DOT of a deliberation graph: decision arguments as boxes, beliefs as ellipses, filled by label
 * (IN green, OUT red, UNDEC grey), attacks as arrows labelled with the critical question.
 */
import type { DeliberationGraph, Label } from './types.js';

const FILL: Record<Label, string> = { IN: '#c8e6c9', OUT: '#ffcdd2', UNDEC: '#e0e0e0' };

/**
 * Renders the graph as a DOT digraph. O(|A| + |R|).
 * @param name the graph's name (quoted; any text is fine).
 */
export function graphToDot(graph: DeliberationGraph, name = 'argmed'): string {
  const lines = [`digraph ${quote(name)} {`, '  rankdir=BT;', '  node [style=filled, fontname="Helvetica"];'];
  for (const node of graph.nodes) {
    const title =
      node.option !== undefined ? `${node.id} ${node.scheme} [${node.option}]` : `${node.id} ${node.scheme}`;
    const label = `${title}\\n${wrap(node.text)}${node.label ? `\\n${node.label}` : ''}`;
    const shape = node.kind === 'decision' ? 'box' : 'ellipse';
    const fill = node.label ? FILL[node.label] : '#ffffff';
    lines.push(
      `  ${quote(node.id)} [label=${quote(label, false)}, shape=${shape}, fillcolor=${quote(fill)}];`,
    );
  }
  for (const attack of graph.attacks) {
    lines.push(`  ${quote(attack.from)} -> ${quote(attack.to)} [label=${quote(attack.question)}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT double-quoted string; `\n` sequences already in `text` are kept when `escapeBackslash` is false. */
function quote(text: string, escapeBackslash = true): string {
  const body = escapeBackslash ? text.replace(/\\/g, '\\\\') : text;
  return `"${body.replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** Breaks long text into lines of about 40 characters (escaped for DOT) so nodes stay readable. */
function wrap(text: string, width = 40): string {
  const words = text.replace(/\\/g, '\\\\').split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\\n');
}
