/**
 * Graphviz DOT writer: one node an argument (coloured by its label when a labelling is given: IN green,
 * OUT red, UNDEC grey), one edge an attack. Names are escaped, so any string is safe.
 */
import { LABEL_NAMES, type Framework, type GroundedLabelling } from '../types.js';

const FILL = ['#e0e0e0', '#b7e1b0', '#f4b6b6'];

function quoted(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1').replace(/\r?\n/g, '\\n')}"`;
}

/**
 * Writes `af` as a DOT digraph; with a labelling, nodes are filled by label and carry it in a tooltip.
 * Complexity O(|A| + |R|).
 */
export function writeDot(af: Framework, labelling?: GroundedLabelling): string {
  const out: string[] = ['digraph af {', '  node [shape=ellipse, style=filled, fillcolor="#ffffff"];'];
  for (let a = 0; a < af.count; a++) {
    const name = quoted(af.nameOf(a));
    if (labelling === undefined) {
      out.push(`  n${a} [label=${name}];`);
    } else {
      const code = labelling.labels[a];
      out.push(`  n${a} [label=${name}, fillcolor="${FILL[code]}", tooltip="${LABEL_NAMES[code]}"];`);
    }
  }
  for (let a = 0; a < af.count; a++) {
    for (let i = af.targetStart[a]; i < af.targetStart[a + 1]; i++) out.push(`  n${a} -> n${af.targets[i]};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
