/**
 * Gold-graph agreement on a hand-built gold graph with a known alignment.
 */
import { describe, expect, it } from 'vitest';
import type { ArgumentNode, AttackEdge, DeliberationGraph } from '../../src/engine/types.js';
import { alignToGold, goldAgreement, summariseGold } from '../../src/eval/gold/index.js';
import type { ItemResult, ReferenceGraph } from '../../src/eval/types.js';

const node = (id: string, text: string, extra: Partial<ArgumentNode> = {}): ArgumentNode => ({
  id, text, conclusion: text, premises: [], scheme: 'ASSE', kind: 'belief', variables: {}, round: 1, agent: 'verifier', label: 'IN', ...extra,
});
const attack = (from: string, to: string, question = 'cq'): AttackEdge => ({ from, to, type: 'attack', question, reason: '' });

const OPTIONS = [
  { id: '1', text: 'Amoxicillin' },
  { id: '2', text: 'Doxycycline' },
];
const gold: ReferenceGraph = {
  components: [
    { id: 'o1', kind: 'option', text: 'Amoxicillin' },
    { id: 'o2', kind: 'option', text: 'Doxycycline' },
    { id: 'p3', kind: 'premise', text: 'the patient had anaphylaxis to penicillin' },
    { id: 'c4', kind: 'claim', text: 'amoxicillin is contraindicated because of the penicillin allergy' },
    { id: 'c5', kind: 'claim', text: 'a macrolide would also be reasonable' },
  ],
  relations: [
    { from: 'c4', to: 'o1', type: 'attack' },
    { from: 'p3', to: 'c4', type: 'support' },
    { from: 'c4', to: 'o2', type: 'support' },
  ],
};
// d1 (amoxicillin) is attacked by a3 (allergy contraindication); d2 (doxycycline) and d1 exclude each
// other; a4 is an absence statement (not positive); a5 says something the gold graph does not.
const graph: DeliberationGraph = {
  nodes: [
    node('d1', 'Consider amoxicillin for pneumonia.', { kind: 'decision', option: '1', scheme: 'ASDM', label: 'OUT' }),
    node('d2', 'Consider doxycycline for pneumonia.', { kind: 'decision', option: '2', scheme: 'ASDM' }),
    node('a3', 'Amoxicillin is contraindicated by the penicillin allergy.'),
    node('a4', 'It is not established that a macrolide would be reasonable: unknown', { scheme: 'EVID' }),
    node('a5', 'The weather was cold.'),
  ],
  attacks: [attack('d1', 'd2', 'exclusive'), attack('d2', 'd1', 'exclusive'), attack('a3', 'd1'), attack('a4', 'd2')],
};

describe('alignToGold', () => {
  it('aligns positive arguments to their best gold component above the threshold', () => {
    expect(Object.fromEntries(alignToGold(graph, gold, OPTIONS))).toEqual({ d1: 'o1', d2: 'o2', a3: 'c4' });
  });
});

describe('goldAgreement', () => {
  const g = goldAgreement(graph, gold, OPTIONS);
  it('component precision over positive arguments, recall over gold claims and premises', () => {
    // positive statements other than decisions: a3, a5 (a4 is an absence statement); a3 aligned to c4.
    expect(g.componentPrecision).toEqual({ hits: 1, total: 2 });
    // gold claims and premises: p3, c4, c5; only c4 is stated.
    expect(g.componentRecall).toEqual({ hits: 1, total: 3 });
  });
  it('relations: the attack a3 -> d1 is the gold c4 -> o1; exclusion and unaligned ends are dropped', () => {
    expect(g.relationPrecision).toEqual({ hits: 1, total: 1 });
    expect(g.relationRecall).toEqual({ hits: 1, total: 3 });
    expect(g.byType.attack).toEqual({ precision: { hits: 1, total: 1 }, recall: { hits: 1, total: 1 } });
    expect(g.byType.support).toEqual({ precision: { hits: 0, total: 0 }, recall: { hits: 0, total: 2 } });
  });
  it('a defence is read as a support', () => {
    // x attacks d2 and a3 attacks x: a3 defends d2, read as the gold support c4 -> o2.
    const chain: DeliberationGraph = {
      nodes: [...graph.nodes, node('x', 'Doxycycline causes photosensitivity.')],
      attacks: [attack('x', 'd2'), attack('a3', 'x')],
    };
    const withSupport: ReferenceGraph = { ...gold, relations: [{ from: 'c4', to: 'o2', type: 'support' }] };
    const r = goldAgreement(chain, withSupport, OPTIONS);
    expect(r.byType.support.precision).toEqual({ hits: 1, total: 1 });
  });
});

describe('summariseGold', () => {
  it('per item and overall, split by correctness, N/A where nothing counts', () => {
    const item = (key: string, correct: boolean): ItemResult => ({
      runId: 'r', itemKey: key, method: 'argmed', status: 'done', gold: '2', predicted: correct ? '2' : '1', correct, calls: 0, tokensIn: 0, tokensOut: 0, latencyMs: 0, finishedAt: '',
      outcome: {
        predicted: correct ? '2' : '1', parsedBy: 'decision', explanation: '', calls: [], options: OPTIONS, referenceGraph: gold,
        argmed: { status: 'decided', graph, justification: [], explanationArguments: [], rejected: [], rounds: 1, budgetsHit: [], verifyFailures: [] },
      },
    });
    const s = summariseGold([item('a', true), item('b', false)])!;
    expect(s.perItem).toHaveLength(2);
    expect(s.overall.componentRecall).toMatchObject({ k: 2, n: 6 });
    expect(s.rightAnswers.items).toBe(1);
    expect(s.overall.supportPrecision.value).toBeNull();
  });
});
