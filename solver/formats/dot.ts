/**
 * Graphviz DOT writer, the project's one: one node an argument, one edge an attack, drawn bottom-up. With a
 * labelling, each node is filled by its label (IN green, OUT red, UNDEC grey) and shows it on its last line.
 * A style adds what the caller knows beyond the framework: the graph's name, each node's text and shape, each
 * attack's label (the application draws its deliberation graphs this way, `src/graph-exports/to-dot.ts`).
 * Node ids are `n0`, `n1`, ... and every text is escaped, so any name is safe.
 */
import { type Framework, type GroundedLabelling, type Label, LABEL_NAMES } from '../types.js';

/** How nodes and edges are drawn beyond names and labels. Every member is optional. */
export interface DotStyle {
  /** Name of the digraph (default `af`). */
  name?: string;
  /** Text of argument `a`'s node; `\n` breaks a line (default: its name). */
  text?: (a: number) => string;
  /** Whether argument `a` is drawn as a box rather than an ellipse (default: never). */
  box?: (a: number) => boolean;
  /** Label of argument `a` when no labelling is given, e.g. one stored with a graph (default: none). */
  label?: (a: number) => Label | undefined;
  /** Label of the attack `from -> to` (default: none). */
  attackLabel?: (from: number, to: number) => string | undefined;
}

const FILL: Record<Label, string> = { UNDEC: '#e0e0e0', IN: '#c8e6c9', OUT: '#ffcdd2' };

/** A DOT double-quoted string: backslashes and quotes escaped, line breaks as `\n`. */
function quoted(text: string): string {
  return `"${text.replace(/(["\\])/g, '\\$1').replace(/\r?\n/g, '\\n')}"`;
}

/**
 * Writes `af` as a DOT digraph. Complexity O(|A| + |R|) plus the style's calls.
 * @param labelling when given (or `style.label`), nodes are filled by label and show it
 * @param style names, node texts and shapes, attack labels
 */
export function writeDot(af: Framework, labelling?: GroundedLabelling, style: DotStyle = {}): string {
  const { name = 'af', text = (a: number) => af.nameOf(a), box = () => false, attackLabel } = style;
  const labelOf = labelling
    ? (a: number) => LABEL_NAMES[labelling.labels[a]]
    : (style.label ?? (() => undefined));
  const out: string[] = [
    `digraph ${quoted(name)} {`,
    '  rankdir=BT;',
    '  node [style=filled, fontname="Helvetica", fillcolor="#ffffff"];',
  ];
  for (let a = 0; a < af.count; a++) {
    const shape = box(a) ? 'box' : 'ellipse';
    const label = labelOf(a);
    if (label === undefined) {
      out.push(`  n${a} [label=${quoted(text(a))}, shape=${shape}];`);
    } else {
      out.push(
        `  n${a} [label=${quoted(`${text(a)}\n${label}`)}, shape=${shape}, fillcolor="${FILL[label]}"];`,
      );
    }
  }
  for (let a = 0; a < af.count; a++) {
    for (let i = af.targetStart[a]; i < af.targetStart[a + 1]; i++) {
      const b = af.targets[i];
      const label = attackLabel?.(a, b);
      out.push(label === undefined ? `  n${a} -> n${b};` : `  n${a} -> n${b} [label=${quoted(label)}];`);
    }
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
