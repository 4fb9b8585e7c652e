/** Graph exports: graphology JSON round-trips, AIF structure, the solver adapters keep the id map. */
import { DirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { CaseSchema } from '../../agents/case.js';
import { readFramework, groundedLabelling } from '../../solver/index.js';
import { toAif, toDot, toFramework, toGraphologyJson, writeGraph } from '../../src/graph-exports/index.js';
import { scriptedResult } from '../api/support/memory-case-service.js';

const graph = scriptedResult(
  CaseSchema.parse({
    question: 'q?',
    options: [
      { id: 'x', text: 'X' },
      { id: 'y', text: 'Y' },
      { id: 'z', text: 'Z' },
    ],
  }),
).graph;

describe('graph exports', () => {
  it('graphology JSON imports back into an equal graph', () => {
    const restored = DirectedGraph.from(toGraphologyJson(graph));
    expect(restored.order).toBe(graph.nodes.length);
    expect(restored.size).toBe(graph.attacks.length);
    expect(restored.getNodeAttribute('a4', 'scheme')).toBe('ASSE');
    expect(restored.getEdgeAttribute('a4', 'a2', 'question')).toBe('CQ2');
  });

  it('ICCMA and APX exports read back into the same framework and labels', async () => {
    const { framework, names } = toFramework(graph);
    const fromIccma = await readFramework(writeGraph(graph, 'iccma').body, 'i23');
    const fromApx = await readFramework(writeGraph(graph, 'apx').body, 'apx');
    const labels = (af: typeof framework) => {
      const l = groundedLabelling(af);
      return Array.from({ length: af.count }, (_, i) => l.label(i));
    };
    expect(fromIccma.attackCount).toBe(graph.attacks.length);
    expect(labels(fromIccma)).toEqual(labels(framework));
    expect(fromApx.names).toEqual(names);
    expect(labels(fromApx)).toEqual(graph.nodes.map((n) => n.label));
  });

  it('AIF has I-nodes for claims, an RA-node per argument and a CA-node per attack, all edges resolvable', () => {
    const aif = toAif(graph);
    const ids = new Set(aif.nodes.map((n) => n.nodeID));
    expect(ids.size).toBe(aif.nodes.length);
    expect(aif.nodes.filter((n) => n.type === 'RA')).toHaveLength(graph.nodes.length);
    expect(aif.nodes.filter((n) => n.type === 'CA')).toHaveLength(graph.attacks.length);
    const claims = graph.nodes.reduce((sum, n) => sum + new Set(n.premises).size + 1, 0);
    expect(aif.nodes.filter((n) => n.type === 'I')).toHaveLength(claims);
    for (const edge of aif.edges) {
      expect(ids.has(edge.fromID)).toBe(true);
      expect(ids.has(edge.toID)).toBe(true);
    }
    // A critical-question attack undercuts the inference; mutual exclusion rebuts the conclusion.
    expect(aif.edges.some((e) => e.fromID === 'a4->a2.ca' && e.toID === 'a2.ra')).toBe(true);
    expect(aif.edges.some((e) => e.fromID === 'a1->a2.ca' && e.toID === 'a2.c')).toBe(true);
  });

  it('DOT is the drawing `argmed decide --format dot` prints, filled by the labels the engine stored', () => {
    const dot = writeGraph(graph, 'dot').body;
    expect(dot).toBe(toDot(graph));
    for (const [i, node] of graph.nodes.entries()) {
      const fill = { IN: '#c8e6c9', OUT: '#ffcdd2', UNDEC: '#e0e0e0' }[node.label!];
      expect(dot).toMatch(
        new RegExp(
          `  n${i} \\[label="${node.id} ${node.scheme}[^"]*\\\\n${node.label}", shape=\\w+, fillcolor="${fill}"\\];`,
        ),
      );
    }
    expect(dot).toContain('label="CQ2"');
  });
});
