import { DirectedGraph, MultiGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { groundedLabelling } from '../../solver/index.js';
import { frameworkFromGraph } from '../../src/engine/framework-from-graph.js';

describe('graphology conversion', () => {
  it('turns attack edges into attacks and ignores support and undirected edges', () => {
    const graph = new MultiGraph();
    graph.addNode('treat');
    graph.addNode('side-effect');
    graph.addNode('tolerated');
    graph.addNode('guideline');
    graph.addDirectedEdge('side-effect', 'treat', { type: 'attack', question: 'CQ2' });
    graph.addDirectedEdge('tolerated', 'side-effect');
    graph.addDirectedEdge('tolerated', 'side-effect', { type: 'attack' });
    graph.addDirectedEdge('guideline', 'treat', { type: 'support' });
    graph.addUndirectedEdge('guideline', 'tolerated');
    const { framework, names } = frameworkFromGraph(graph);
    expect(names).toEqual(['treat', 'side-effect', 'tolerated', 'guideline']);
    expect(framework.attackCount).toBe(2);
    expect(Array.from(framework.attackersOf(0))).toEqual([1]);
    expect(groundedLabelling(framework).inArguments()).toEqual([0, 2, 3]);
    const custom = frameworkFromGraph(graph, { isAttack: (attributes) => attributes.type === 'support' });
    expect(custom.framework.attackCount).toBe(1);
  });

  it('keeps the map between node keys and arguments both ways, self-attacks included', () => {
    const graph = new DirectedGraph({ allowSelfLoops: true });
    for (const key of ['a', 'b', 'c']) graph.addNode(key);
    graph.addDirectedEdge('b', 'a', { type: 'attack' });
    graph.addDirectedEdge('c', 'b', { type: 'attack' });
    graph.addDirectedEdge('c', 'c', { type: 'attack' });
    const { framework, names, index } = frameworkFromGraph(graph);
    expect(names).toEqual(['a', 'b', 'c']);
    expect([...index]).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    expect(framework.names).toEqual(names);
    expect(Array.from(framework.targetsOf(2))).toEqual([1, 2]);
    const labels = groundedLabelling(framework);
    expect([0, 1, 2].map((a) => labels.label(a))).toEqual(['UNDEC', 'UNDEC', 'UNDEC']);
  });
});
