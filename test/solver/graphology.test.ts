import { DirectedGraph, MultiGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import {
  buildFramework,
  frameworkFromGraph,
  graphFromFramework,
  groundedLabelling,
} from '../../solver/index.js';

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
    const { framework, keys } = frameworkFromGraph(graph);
    expect(keys).toEqual(['treat', 'side-effect', 'tolerated', 'guideline']);
    expect(framework.attackCount).toBe(2);
    expect(Array.from(framework.attackersOf(0))).toEqual([1]);
    expect(groundedLabelling(framework).inArguments()).toEqual([0, 2, 3]);
    const custom = frameworkFromGraph(graph, { isAttack: (attributes) => attributes.type === 'support' });
    expect(custom.framework.attackCount).toBe(1);
  });

  it('round-trips framework -> graph -> framework with labels on nodes', () => {
    const af = buildFramework(
      3,
      [
        [1, 0],
        [2, 1],
        [2, 2],
      ],
      ['a', 'b', 'c'],
    );
    const graph = graphFromFramework(af, groundedLabelling(af));
    expect(graph).toBeInstanceOf(DirectedGraph);
    expect(graph.getNodeAttribute('c', 'label')).toBe('UNDEC');
    expect(graph.getNodeAttribute('a', 'label')).toBe('UNDEC');
    expect(graph.hasDirectedEdge('c', 'c')).toBe(true);
    const back = frameworkFromGraph(graph).framework;
    expect(back.names).toEqual(['a', 'b', 'c']);
    for (let a = 0; a < 3; a++) expect(Array.from(back.targetsOf(a))).toEqual(Array.from(af.targetsOf(a)));
    expect(() => graphFromFramework(buildFramework(2, [], ['x', 'x']))).toThrow(
      expect.objectContaining({ code: 'SOLVER_UNWRITABLE_NAME' }),
    );
  });
});
