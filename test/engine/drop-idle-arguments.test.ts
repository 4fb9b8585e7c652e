/**
 * dropIdleArguments: back-end arguments left attacking nothing go, in cascade, with the doubts on them; a
 * counter shared by two targets stays while one stands; candidate decisions and what `mayGo` refuses stay.
 */
import { describe, expect, it } from 'vitest';
import type { ArgumentDraft } from '../../agents/types.js';
import { ArgumentGraph } from '../../src/engine/argument-graph.js';
import { DEFAULT_BETTER_DECISION_SCHEME } from '../../src/engine/candidate-decisions.js';
import { OPEN_QUESTION } from '../../src/engine/doubts.js';
import { dropIdleArguments } from '../../src/engine/drop-idle-arguments.js';

const draft = (scheme: string, text: string, option?: string): ArgumentDraft => ({
  scheme,
  kind: option === undefined ? 'belief' : 'decision',
  ...(option === undefined ? {} : { option }),
  variables: { text },
  premises: [text],
  conclusion: text,
  text,
});

/** A decision a1, contributions c1 and c2 against it, a counter a2 of both, a2's rebuttal a3, a doubt q1 on a2. */
function graphWithSharedCounter(): ArgumentGraph {
  const graph = new ArgumentGraph();
  graph.addArgument(draft('ASDM', 'decision', 'A'), 0, 'generator'); // a1
  graph.addWithId('c1', draft('EVID', 'first'), 1, 'clinician');
  graph.addWithId('c2', draft('EVID', 'second'), 2, 'clinician');
  graph.graph.getNodeAttributes('c1').contribution = { author: 'x', revision: 2, judgement: false, at: 'now' };
  graph.graph.getNodeAttributes('c2').contribution = { author: 'x', revision: 3, judgement: false, at: 'now' };
  graph.addArgument(draft('EVID', 'shared counter'), 1, 'generator'); // a2
  graph.addArgument(draft('EVID', 'rebuttal of the counter'), 2, 'generator'); // a3
  graph.addWithId('q1', { ...draft(OPEN_QUESTION, 'open on the counter'), kind: 'belief' }, 1, 'engine');
  const attacks = [
    ['c1', 'a1'],
    ['c2', 'a1'],
    ['a2', 'c1'],
    ['a2', 'c2'],
    ['a3', 'a2'],
    ['q1', 'a2'],
    ['a2', 'q1'],
  ];
  for (const [from, to] of attacks) graph.addAttack(from, to, 'q', 'why');
  return graph;
}

const backEnd = (node: { contribution?: unknown }) => node.contribution === undefined;

describe('dropIdleArguments', () => {
  it('keeps a shared counter while one of its targets stands, then removes it with its rebuttal and doubt', () => {
    const graph = graphWithSharedCounter();
    let attackers = graph.attackers('c1');
    graph.removeArgument('c1');
    expect(dropIdleArguments(graph, attackers, DEFAULT_BETTER_DECISION_SCHEME, backEnd)).toEqual([]);
    attackers = graph.attackers('c2');
    graph.removeArgument('c2');
    const removed = dropIdleArguments(graph, attackers, DEFAULT_BETTER_DECISION_SCHEME, backEnd);
    expect(removed.sort()).toEqual(['a2', 'a3', 'q1']);
    expect(graph.graph.nodes()).toEqual(['a1']);
  });

  it('never removes a candidate decision, nor what mayGo refuses', () => {
    const graph = graphWithSharedCounter();
    expect(dropIdleArguments(graph, ['a1'], DEFAULT_BETTER_DECISION_SCHEME, backEnd)).toEqual([]);
    const attackers = graph.attackers('c1');
    graph.removeArgument('c1');
    graph.removeArgument('c2');
    expect(dropIdleArguments(graph, attackers, DEFAULT_BETTER_DECISION_SCHEME, () => false)).toEqual([]);
    expect(graph.graph.hasNode('a2')).toBe(true);
  });
});
