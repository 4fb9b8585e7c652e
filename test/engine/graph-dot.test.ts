import { describe, expect, it } from 'vitest';
import { graphToDot } from '../../src/engine/graph-dot.js';
import type { DeliberationGraph } from '../../src/engine/types.js';

const graph: DeliberationGraph = {
  nodes: [
    {
      id: 'a1',
      scheme: 'ASDM',
      kind: 'decision',
      option: 'A',
      variables: {},
      premises: [],
      conclusion: 'c',
      text: 'Say "yes" \\ then\nstop',
      round: 0,
      agent: 'generator',
      label: 'IN',
    },
    {
      id: 'a2',
      scheme: 'ASSE',
      kind: 'belief',
      variables: {},
      premises: [],
      conclusion: 'c',
      text: 'harm',
      round: 1,
      agent: 'generator',
      label: 'OUT',
    },
  ],
  attacks: [{ from: 'a2', to: 'a1', type: 'attack', question: 'side-effects', reason: 'r' }],
};

describe('graphToDot', () => {
  it('draws decisions as boxes, beliefs as ellipses, coloured by label, attacks labelled by question', () => {
    const dot = graphToDot(graph, 'case "1"');
    expect(dot.startsWith('digraph "case \\"1\\"" {')).toBe(true);
    expect(dot).toContain(
      '"a1" [label="a1 ASDM [A]\\nSay \\"yes\\" \\\\ then stop\\nIN", shape=box, fillcolor="#c8e6c9"];',
    );
    expect(dot).toContain('shape=ellipse, fillcolor="#ffcdd2"');
    expect(dot).toContain('"a2" -> "a1" [label="side-effects"];');
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    // Every quote inside a label is escaped: the label attribute is a single DOT string.
    const label = /"a1" \[label="((?:[^"\\]|\\.)*)"/.exec(dot)?.[1];
    expect(label).toBeDefined();
  });
});
