/**
 * The honest figures of a run: shares with n and interval (N/A over nothing), predictability on a
 * redacted record beside a null evaluator (a leaking explanation gets a high null), selective prediction
 * with abstentions by type, and claim agreement over positive claims only.
 */
import { describe, expect, it } from 'vitest';
import { explanationText } from '../../src/engine/explanation-text.js';
import type { ArgumentNode, AttackEdge, DeliberationGraph } from '../../src/engine/types.js';
import {
  evaluatorRecord,
  formatShare,
  isPositiveArgument,
  NO_DECISION,
  nullEvaluatorGuess,
  predictabilityOf,
  redactExplanation,
  referenceClaimShare,
  selectivePrediction,
  shareOf,
} from '../../src/eval/metrics/index.js';
import { stripAnswer } from '../../src/eval/methods/parse-answer.js';
import type { ArgmedDetails, ItemResult } from '../../src/eval/types.js';

const OPTIONS = [
  { id: 'A', text: 'amoxicillin' },
  { id: 'B', text: 'doxycycline' },
  { id: 'C', text: 'azithromycin' },
  { id: 'D', text: 'levofloxacin' },
];

function arg(id: string, text: string, extra: Partial<ArgumentNode> = {}): ArgumentNode {
  return { id, text, conclusion: text, premises: [], scheme: 'ASSE', kind: 'belief', variables: {}, round: 1, agent: 'verifier', ...extra };
}
const attack = (from: string, to: string, question = 'cq'): AttackEdge => ({ from, to, type: 'attack', question, reason: '' });

/** A deliberation that decided `chosen`: every other option is defeated by a side-effect argument. */
function decidedOn(chosen: string): { details: ArgmedDetails; explanation: string } {
  const nodes: ArgumentNode[] = OPTIONS.map((o, i) =>
    arg(`d${i}`, `Consider ${o.text} for community-acquired pneumonia.`, { scheme: 'ASDM', kind: 'decision', option: o.id, round: 0, label: o.id === chosen ? 'IN' : 'OUT' }),
  );
  const attacks: AttackEdge[] = [];
  OPTIONS.forEach((o, i) => {
    if (o.id === chosen) return;
    nodes.push(arg(`s${i}`, `${o.text} has a side effect that matters for this patient.`, { label: 'IN' }));
    attacks.push(attack(`s${i}`, `d${i}`));
  });
  const decision = nodes.find((n) => n.option === chosen)!;
  const graph: DeliberationGraph = { nodes, attacks };
  const rejected = OPTIONS.filter((o) => o.id !== chosen).map((o) => {
    const i = OPTIONS.indexOf(o);
    return { option: o.id, argument: `d${i}`, label: 'OUT' as const, defeaters: [`s${i}`] };
  });
  const explanation = stripAnswer(
    explanationText({ status: 'decided', decision: { option: chosen, argument: decision.id }, justification: [], rejected, budgetsHit: [], graph, candidates: OPTIONS }),
  );
  return {
    explanation,
    details: { status: 'decided', graph, justification: [], explanationArguments: [decision.id], rejected, rounds: 1, budgetsHit: [], verifyFailures: [] },
  };
}

function item(key: string, fields: Partial<ItemResult>): ItemResult {
  return { runId: 'r', itemKey: key, method: 'argmed', status: 'done', gold: 'A', correct: false, calls: 0, tokensIn: 0, tokensOut: 0, latencyMs: 1, finishedAt: '2026-01-01T00:00:00Z', ...fields };
}

describe('shareOf', () => {
  it('is N/A over zero items, never 0%', () => {
    expect(shareOf(0, 0)).toEqual({ k: 0, n: 0, value: null, ci: null });
    expect(formatShare(shareOf(0, 0))).toBe('N/A (n = 0)');
    expect(formatShare(shareOf(0, 10))).toBe('0.0% [0.0–27.8] (0/10)');
  });
});

describe('predictability: a leaking explanation gets a high null score', () => {
  const chosen = ['A', 'B', 'C', 'D', 'B', 'C', 'D', 'A'];
  const items = chosen.map((c, i) => {
    const { details, explanation } = decidedOn(c);
    return item(`i${i}`, { predicted: c, outcome: { predicted: c, parsedBy: 'decision', explanation, calls: [], options: OPTIONS, argmed: details } });
  });

  it('the stored explanation (rejected options listed) gives every decision away to a reader with no knowledge', () => {
    const p = predictabilityOf(items);
    expect(p.nullUnredacted).toMatchObject({ k: 8, n: 8 });
  });

  it('the redacted record does not: the null evaluator falls to a surface guess', () => {
    const p = predictabilityOf(items);
    expect(p.null.n).toBe(8);
    // Every option is presented the same way and challenged once: the null reader finds no favourite.
    expect(p.null.k).toBe(0);
    const record = evaluatorRecord(items[1].outcome!, OPTIONS);
    expect(record).not.toMatch(/Options not chosen|Decision|\bIN\b|\bOUT\b|defeated|answered/);
    expect(record).toContain('Consider doxycycline');
    expect(record).toContain('Consider amoxicillin');
  });

  it('an undecided item is predicted right when the reader says none', () => {
    const p = predictabilityOf([
      item('u', { outcome: { parsedBy: 'none', explanation: '', calls: [], options: OPTIONS, evaluatorPrediction: NO_DECISION } }),
      item('v', { predicted: 'B', outcome: { predicted: 'B', parsedBy: 'letter', explanation: 'x', calls: [], options: OPTIONS, evaluatorPrediction: 'C' } }),
    ]);
    expect(p.model).toMatchObject({ k: 1, n: 2 });
  });

  it('redaction removes the decision line, the rejected list and giveaway option ids', () => {
    const text = [
      'Decision: B (doxycycline)',
      'Because: a2 ASDM: Consider doxycycline.',
      'So option B fits better than (C) and D (azithromycin).',
      'Options not chosen:',
      '  - A (amoxicillin): a1 is OUT',
      '    defeated by a5',
      'A patient aged 3 years.',
    ].join('\n');
    const out = redactExplanation(text, OPTIONS);
    expect(out).toBe(['Because: a2 ASDM: Consider doxycycline.', 'So option [option] fits better than ([option]) and [option] (azithromycin).', 'A patient aged 3 years.'].join('\n'));
  });

  it("redaction removes the outcome lines of argmed's own no-justified-decision explanation", () => {
    const text = explanationText({
      status: 'no-justified-decision',
      graph: { nodes: [], attacks: [] },
      justification: [],
      rejected: [],
      budgetsHit: [],
    });
    expect(text.split('\n')).toHaveLength(2);
    expect(redactExplanation(text, OPTIONS)).toBe('');
  });

  it('the null evaluator picks the option never named as rejected', () => {
    const text = 'A (amoxicillin) is rejected\nC (azithromycin) is rejected\nD (levofloxacin) is rejected';
    expect(nullEvaluatorGuess(text, OPTIONS)).toBe('B');
    expect(nullEvaluatorGuess('nothing about options', OPTIONS)).toBe(NO_DECISION);
  });
});

describe('selectivePrediction', () => {
  const items: ItemResult[] = [
    item('1', { predicted: 'A', correct: true, outcome: { predicted: 'A', parsedBy: 'vote', explanation: '', calls: [], votes: { A: 3 } } }),
    item('2', { predicted: 'B', correct: false, outcome: { predicted: 'B', parsedBy: 'vote', explanation: '', calls: [], votes: { B: 2, A: 1 } } }),
    item('3', { predicted: 'A', correct: true, outcome: { predicted: 'A', parsedBy: 'vote', explanation: '', calls: [], votes: { A: 1, B: 1, C: 1 } } }),
    item('4', { outcome: { parsedBy: 'none', explanation: '', calls: [], argmed: { ...decidedOn('A').details, status: 'insufficient-knowledge' as never } } }),
    item('5', { outcome: { parsedBy: 'none', explanation: '', calls: [], argmed: { ...decidedOn('A').details, status: 'undecided' } } }),
    item('6', { status: 'failed' }),
    item('7', { outcome: { parsedBy: 'none', explanation: '', calls: [], argmed: { ...decidedOn('A').details, status: 'failed' } } }),
  ];
  const s = selectivePrediction(items);
  it('keeps wrong answers and abstentions apart, every non-decided status its own type', () => {
    expect(s).toMatchObject({ items: 7, answered: 3, correct: 2, wrong: 1 });
    expect(s.coverage).toMatchObject({ k: 3, n: 7 });
    expect(s.accuracyAnswered).toMatchObject({ k: 2, n: 3 });
    expect(s.accuracyAll).toMatchObject({ k: 2, n: 7 });
    // An item that threw (`error`) and a deliberation that ended `failed` are different abstentions.
    expect(Object.keys(s.abstentions)).toEqual(['error', 'failed', 'insufficient-knowledge', 'undecided']);
  });
  it('draws the risk–coverage curve from the most confident answers down', () => {
    // confidences 1 (right), 2/3 (wrong), 1/3 (right)
    expect(s.riskCoverage.map((p) => [p.answered, p.risk])).toEqual([
      [1, 0],
      [2, 0.5],
      [3, 1 / 3],
    ]);
    expect(s.aurc).toBeCloseTo((1 / 7) * 0 + (1 / 7) * 0.5 + (1 / 7) * (1 / 3), 12);
  });
  it('is N/A on an empty method', () => {
    const e = selectivePrediction([]);
    expect(e.coverage.value).toBeNull();
    expect(e.aurc).toBeNull();
  });
});

describe('claim agreement over positive claims only', () => {
  it('an accepted "It is not established that ..." node matches no claim', () => {
    const negative = arg('e1', 'It is not established that amoxicillin treats pneumonia: the knowledge base cannot assess it', { scheme: 'EVID', label: 'IN' });
    const positive = arg('p1', 'penicillin allergy contraindicates amoxicillin', { label: 'IN' });
    expect(isPositiveArgument(negative)).toBe(false);
    expect(isPositiveArgument(positive)).toBe(true);
    const reference = {
      components: [
        { id: 'c1', kind: 'claim' as const, text: 'amoxicillin treats pneumonia' },
        { id: 'c2', kind: 'claim' as const, text: 'penicillin allergy contraindicates amoxicillin' },
      ],
      relations: [],
    };
    expect(referenceClaimShare(reference, { nodes: [negative], attacks: [] })).toEqual({ matched: 0, claims: 2 });
    expect(referenceClaimShare(reference, { nodes: [negative, positive], attacks: [] })).toEqual({ matched: 1, claims: 2 });
  });
});
