import { describe, expect, it } from 'vitest';
import { toDot } from '../../src/graph-exports/to-dot.js';
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

describe('toDot', () => {
  it('draws decisions as boxes, beliefs as ellipses, coloured by label, attacks labelled by question', () => {
    const dot = toDot(graph, 'case "1"');
    expect(dot.startsWith('digraph "case \\"1\\"" {')).toBe(true);
    expect(dot).toContain(
      'n0 [label="a1 ASDM [A]\\nSay \\"yes\\" \\\\ then stop\\nIN", shape=box, fillcolor="#c8e6c9"];',
    );
    expect(dot).toContain('n1 [label="a2 ASSE\\nharm\\nOUT", shape=ellipse, fillcolor="#ffcdd2"];');
    expect(dot).toContain('n1 -> n0 [label="side-effects"];');
    expect(dot.trimEnd().endsWith('}')).toBe(true);
    // Every quote inside a label is escaped: the label attribute is a single DOT string.
    const label = /n0 \[label="((?:[^"\\]|\\.)*)"/.exec(dot)?.[1];
    expect(label).toBeDefined();
  });

  it('draws a node the engine has not labelled yet white, without a label line', () => {
    const running: DeliberationGraph = {
      ...graph,
      nodes: graph.nodes.map(({ label: _label, ...node }) => node),
    };
    const dot = toDot(running);
    expect(dot).toContain('n1 [label="a2 ASSE\\nharm", shape=ellipse];');
    expect(dot).not.toMatch(/ n\d+ \[.*fillcolor/);
  });
});
