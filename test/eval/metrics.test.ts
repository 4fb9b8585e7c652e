import { describe, expect, it } from 'vitest';
import type { AttackEdge, DeliberationGraph } from '../../src/engine/types.js';
import {
  argumentStatistics,
  defendsDecision,
  isConflictFree,
  percentile,
  referenceClaimShare,
  rougeL,
  summariseRun,
  tokenF1,
  wilsonInterval,
} from '../../src/eval/metrics/index.js';
import type { ArgmedDetails, ItemResult } from '../../src/eval/types.js';

const attack = (from: string, to: string): AttackEdge => ({ from, to, type: 'attack', question: 'q', reason: '' });

describe('wilsonInterval', () => {
  it('matches hand-computed values', () => {
    // p = 0.5, n = 100: centre 0.5, margin = 1.96 * sqrt(0.0025 + 0.000096) / 1.0384 = 0.0961
    const [lo, hi] = wilsonInterval(50, 100);
    expect(lo).toBeCloseTo(0.4038, 3);
    expect(hi).toBeCloseTo(0.5962, 3);
    // 0 of 10: [0, 3.8415 / 13.8415]
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(0, 10)[1]).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(10, 10)[1]).toBeCloseTo(1, 12);
    expect(wilsonInterval(0, 0)).toEqual([0, 0]);
  });
});

describe('percentile (nearest rank)', () => {
  it('picks observed values', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 95)).toBe(10);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('text overlap', () => {
  it('ROUGE-L: LCS-based F-measure', () => {
    // candidate "the cat sat" vs reference "the cat was sitting": LCS 2, P 2/3, R 2/4, F = 4/7
    expect(rougeL('The cat sat.', 'the cat was sitting')).toBeCloseTo(4 / 7, 6);
    // LCS respects order: "b a" vs "a b" has LCS 1
    expect(rougeL('b a', 'a b')).toBeCloseTo(0.5, 6);
    expect(rougeL('', 'a b')).toBe(0);
  });
  it('token F1: bag-of-tokens overlap', () => {
    // candidate tokens [a a b], reference [a b c]: common 2 (a once, b), P 2/3, R 2/3
    expect(tokenF1('a a b', 'a b c')).toBeCloseTo(2 / 3, 6);
    expect(tokenF1('b a', 'a b')).toBe(1);
    expect(tokenF1('x', 'y')).toBe(0);
  });
});

describe('justification checks', () => {
  // d <- x <- y: {d, y} is admissible; {d} alone does not defend d; {d, x} is not conflict-free.
  const attacks = [attack('x', 'd'), attack('y', 'x')];
  it('conflict-free', () => {
    expect(isConflictFree(new Set(['d', 'y']), attacks)).toBe(true);
    expect(isConflictFree(new Set(['d', 'x']), attacks)).toBe(false);
  });
  it('defends the decision', () => {
    expect(defendsDecision('d', new Set(['d', 'y']), attacks)).toBe(true);
    expect(defendsDecision('d', new Set(['d']), attacks)).toBe(false);
    expect(defendsDecision('d', new Set(['y']), attacks)).toBe(false);
  });
});

function node(id: string, round: number, label: 'IN' | 'OUT' | 'UNDEC', text = id, option?: string) {
  return {
    id,
    round,
    label,
    text,
    agent: 'generator',
    scheme: option ? 'ASDM' : 'ASSE',
    kind: option ? ('decision' as const) : ('belief' as const),
    option,
    variables: {},
    premises: [],
    conclusion: text,
  };
}

const graph: DeliberationGraph = {
  nodes: [
    node('a1', 0, 'IN', 'doxycycline treats pneumonia', 'B'),
    node('a2', 0, 'OUT', 'amoxicillin treats pneumonia', 'A'),
    node('a3', 1, 'IN', 'penicillin allergy contraindicates amoxicillin'),
    node('a4', 2, 'UNDEC', 'something undecided'),
  ],
  attacks: [attack('a1', 'a2'), attack('a2', 'a1'), attack('a3', 'a2')],
};
const details: ArgmedDetails = {
  status: 'decided',
  graph,
  justification: [{ attacker: 'a2', defeater: 'a3' }],
  explanationArguments: ['a1', 'a3'],
  rejected: [{ option: 'A', argument: 'a2', label: 'OUT', defeaters: ['a3'] }],
  rounds: 2,
  budgetsHit: ['maxRounds'],
  verifyFailures: ['a1'],
};

describe('argumentStatistics', () => {
  it('counts labels, coverage and checks the justification', () => {
    const s = argumentStatistics(details, 'a1');
    expect(s).toMatchObject({ arguments: 4, attacks: 3, rounds: 2, in: 2, out: 1, undec: 1, justificationSize: 2 });
    // stopped on a budget: a4 (round 2 = last) unquestioned; a1's verification failed: 2 of 4 questioned
    expect(s.cqCoverage).toBe(0.5);
    expect(s.conflictFree).toBe(true);
    expect(s.defends).toBe(true);
  });
});

describe('referenceClaimShare', () => {
  it('counts claims stated by accepted arguments only', () => {
    const reference = {
      components: [
        { id: 'c1', kind: 'claim' as const, text: 'penicillin allergy contraindicates amoxicillin' },
        { id: 'c2', kind: 'claim' as const, text: 'amoxicillin is first line for pneumonia in children' },
        { id: 'o1', kind: 'option' as const, text: 'doxycycline' },
        { id: 'p1', kind: 'premise' as const, text: 'doxycycline treats pneumonia' },
      ],
      relations: [],
    };
    // c1 matches IN a3 (F1 1); c2 reaches 0.3 only against OUT a2 (F1 0.4; a1 0.2, a3 0.18); options and premises are not claims.
    expect(referenceClaimShare(reference, graph)).toEqual({ matched: 1, claims: 2 });
  });
});

function result(method: ItemResult['method'], key: string, fields: Partial<ItemResult>): ItemResult {
  return {
    runId: 'r',
    itemKey: key,
    method,
    status: 'done',
    gold: 'B',
    correct: false,
    calls: 1,
    tokensIn: 10,
    tokensOut: 5,
    latencyMs: 100,
    finishedAt: '2026-01-01T00:00:00Z',
    ...fields,
  };
}

describe('summariseRun', () => {
  const outcome = (predicted: string | undefined, extra = {}) => ({
    predicted,
    parsedBy: predicted ? 'letter' : 'none',
    explanation: 'because',
    calls: [],
    ...extra,
  });
  const items: ItemResult[] = [
    result('direct', 'i1', { predicted: 'B', correct: true, outcome: outcome('B', { evaluatorPrediction: 'B' }) }),
    result('direct', 'i2', { predicted: undefined, outcome: outcome(undefined), latencyMs: 300 }),
    result('direct', 'i3', { status: 'failed', calls: 0, tokensIn: 0, tokensOut: 0, latencyMs: 200 }),
    result('direct', 'i4', { predicted: 'A', outcome: outcome('A', { evaluatorPrediction: 'B', reference: 'because' }) }),
    result('argmed', 'i1', {
      predicted: 'B',
      correct: true,
      outcome: outcome('B', { argmed: details }),
    }),
    result('argmed', 'i2', {
      outcome: outcome(undefined, {
        argmed: { ...details, status: 'no-justified-decision', explanationArguments: [] },
      }),
    }),
  ];
  const [direct, argmed] = summariseRun(items, ['direct', 'argmed']);

  it('selective prediction: answered, wrong and abstentions apart, each with n and interval', () => {
    expect(direct).toMatchObject({ items: 4, done: 3, failed: 1 });
    const sel = direct.selective;
    expect(sel).toMatchObject({ items: 4, answered: 2, correct: 1, wrong: 1 });
    expect(sel.coverage).toMatchObject({ k: 2, n: 4, value: 0.5 });
    expect(sel.accuracyAnswered).toMatchObject({ k: 1, n: 2, value: 0.5 });
    expect(sel.accuracyAll).toMatchObject({ k: 1, n: 4, value: 0.25 });
    expect(sel.accuracyAll.ci![0]).toBeCloseTo(wilsonInterval(1, 4)[0], 9);
    expect(sel.wrongAll).toMatchObject({ k: 1, n: 4 });
    expect(Object.fromEntries(Object.entries(sel.abstentions).map(([t, v]) => [t, v.k]))).toEqual({ error: 1, unparseable: 1 });
  });
  it('predictability: the evaluator over every item it read, decided or not', () => {
    // i1: guessed B, decided B (hit); i4: guessed B, decided A (miss)
    expect(direct.predictability.model).toMatchObject({ k: 1, n: 2 });
  });
  it('reference agreement over items with a reference', () => {
    expect(direct.reference).toEqual({ n: 1, withPositiveClaims: 1, rougeL: 1, tokenF1: 1 });
  });
  it('cost: calls, tokens, latency percentiles', () => {
    expect(direct.cost).toMatchObject({ calls: 3, tokensIn: 30, tokensOut: 15, latencyP50: 100, latencyP95: 300 });
  });
  it('argmed: statuses, flags and explanation quality', () => {
    const a = argmed.argmed!;
    expect(a.statuses).toEqual({ decided: 1, 'no-justified-decision': 1 });
    expect(argmed.selective.abstentions['no-justified-decision']).toMatchObject({ k: 1, n: 2 });
    expect(a.flagged).toBe(1);
    // the flagged item rejected option A with B still open? No: its only rejected option is OUT, so nothing
    // singles the gold option out: N/A, not 0%.
    expect(a.flaggedGoldRejected).toMatchObject({ n: 0, value: null, ci: null });
    // direct was wrong (unparseable) on the flagged item i2
    expect(a.flaggedWrongElsewhere.direct).toMatchObject({ k: 1, n: 1 });
    expect(a.conflictFree.value).toBe(1);
    expect(a.defends.value).toBe(1);
    expect(a.meanArguments).toBe(4);
    expect(a.shareIn.value).toBe(0.5);
  });
});
