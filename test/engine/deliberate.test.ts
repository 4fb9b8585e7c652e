import { describe, expect, it } from 'vitest';
import { deliberate } from '../../src/engine/deliberate.js';
import type { DeliberationResult } from '../../src/engine/types.js';
import { belief, decision, fakeBackend, testCase, testSchemes } from './fake-backend.js';

const schemes = testSchemes();
const byText = (result: DeliberationResult, text: string): string => {
  const node = result.graph.nodes.find((n) => n.text === text);
  if (!node) throw new Error(`no argument "${text}"`);
  return node.id;
};
const label = (result: DeliberationResult, text: string) =>
  result.graph.nodes.find((n) => n.id === byText(result, text))?.label;

/** b has a side effect; a stands. */
const sideEffectOnB = { 'ASDM for b': { 'side-effects': 'b harms this patient' } };
/** ... and the side effect is mitigated, which reinstates b. */
const mitigated = {
  ...sideEffectOnB,
  'side-effects against ASDM for b': { mitigation: 'a mitigation exists' },
};

describe('deliberate: statuses', () => {
  it('decides the option whose rival is defeated by a side effect, with its justification', async () => {
    const { backend, stats } = fakeBackend({ fails: sideEffectOnB });
    const result = await deliberate(testCase(), { backend, schemes });
    expect(result.status).toBe('decided');
    expect(result.decision?.option).toBe('a');
    const a = byText(result, 'ASDM for a');
    const b = byText(result, 'ASDM for b');
    const se = byText(result, 'side-effects against ASDM for b');
    expect(result.decision?.argument).toBe(a);
    expect(result.justification).toEqual([{ attacker: b, defeater: se }]);
    expect(result.explanationArguments).toEqual([a, se]);
    expect(result.rejected).toEqual([{ option: 'b', argument: b, label: 'OUT', defeaters: [se] }]);
    expect(result.graph.attacks).toContainEqual({
      from: se,
      to: b,
      type: 'attack',
      question: 'side-effects',
      reason: 'b harms this patient',
    });
    // round 0 proposes, round 1 verifies a and b, round 2 verifies the side effect and adds nothing.
    expect(result.rounds).toBe(3);
    expect(result.usage.roundMs).toHaveLength(3);
    expect(stats.verify).toBe(3);
    expect(result.usage.argumentsVerified).toBe(3);
    expect(result.usage.agentCalls).toEqual({ propose: 1, verify: 3, counter: 1, compare: 0 });
    expect(result.explanation).toContain('Decision: a (treatment A)');
    expect(result.explanation).toContain('side-effects against ASDM for b');
    expect(result.budgetsHit).toEqual([]);
  });

  it('leaves a tie undecided when the comparison finds nothing (a side effect mitigated reinstates b)', async () => {
    const { backend, stats } = fakeBackend({ fails: mitigated });
    const result = await deliberate(testCase(), { backend, schemes });
    expect(label(result, 'side-effects against ASDM for b')).toBe('OUT');
    expect(label(result, 'mitigation against side-effects against ASDM for b')).toBe('IN');
    expect(stats.compare).toBe(1);
    expect(result.status).toBe('undecided');
    expect(result.tied).toEqual(['a', 'b']);
    expect(result.decision).toBeUndefined();
    expect(result.explanation).toMatch(/^Undecided/);
  });

  it('breaks the tie with a better-decision argument that attacks the worse option', async () => {
    const { backend, stats } = fakeBackend({
      fails: mitigated,
      compare: (request) => {
        expect(request.tied.map((d) => d.option).sort()).toEqual(['a', 'b']);
        expect(request.scheme.id).toBe('ASBD');
        return [decision('b', 'ASBD', { worse: 'a' })];
      },
    });
    const result = await deliberate(testCase(), { backend, schemes });
    expect(result.status).toBe('decided');
    expect(result.decision?.option).toBe('b');
    const asbd = byText(result, 'ASBD for b over a');
    const fact = byText(result, 'mitigation against side-effects against ASDM for b');
    const a = byText(result, 'ASDM for a');
    expect(result.graph.attacks).toContainEqual(
      expect.objectContaining({ from: asbd, to: a, question: 'better-decision' }),
    );
    expect(result.graph.nodes.find((n) => n.id === asbd)?.agent).toBe('better-decision');
    // The better-decision argument was itself verified (its critical question passed).
    expect(stats.verify).toBe(5);
    expect(result.explanationArguments).toEqual(expect.arrayContaining([asbd, fact]));
    expect(result.explanationArguments[0]).toBe(result.decision?.argument);
    expect(result.rejected).toEqual([{ option: 'a', argument: a, label: 'OUT', defeaters: [asbd] }]);
    expect(result.usage.agentCalls?.compare).toBe(1);
  });

  it('counts counters of a better-decision argument: a refuted comparison leaves the tie', async () => {
    const { backend } = fakeBackend({
      fails: { ...mitigated, 'ASBD for b over a': { comparison: 'b is not better here' } },
      compare: () => [decision('b', 'ASBD', { worse: 'a' })],
    });
    const result = await deliberate(testCase(), { backend, schemes });
    expect(label(result, 'ASBD for b over a')).toBe('OUT');
    expect(result.status).toBe('undecided');
    expect(result.tied).toEqual(['a', 'b']);
  });

  it.each([
    ['the compare call fails', () => Promise.reject(new Error('comparer endpoint answered HTTP 500'))],
    ['a comparison names an option outside the tie', () => [decision('c', 'ASBD', { worse: 'a' })]],
    ['a comparison compares an option with itself', () => [decision('a', 'ASBD', { worse: 'a' })]],
  ])('a tie whose comparison did not complete is incomplete, not undecided: %s', async (_why, compare) => {
    const { backend, stats } = fakeBackend({ fails: mitigated, compare });
    const result = await deliberate(testCase(), { backend, schemes });
    expect(stats.compare).toBe(1);
    expect(result.status).toBe('incomplete');
    expect(result.tied).toBeUndefined();
    expect(result.decision).toBeUndefined();
    const doubts = result.openQuestions ?? [];
    expect(doubts.map((q) => [q.argument, q.question, q.cause]).sort()).toEqual([
      [byText(result, 'ASDM for a'), 'better-decision', 'not-verified'],
      [byText(result, 'ASDM for b'), 'better-decision', 'not-verified'],
    ]);
    expect(doubts[0].reason).toMatch(/^the comparison of the tied options a, b did not complete: /);
    expect(result.pending?.map((p) => p.justifiedIf)).toEqual([
      ['compare the options a, b: run the deliberation again once the calls succeed, or with a larger budget'],
      ['compare the options a, b: run the deliberation again once the calls succeed, or with a larger budget'],
    ]);
    expect(result.failures.some((f) => f.stage === 'compare')).toBe(true);
  });

  it('a tie left when the deliberation stopped before the comparison is incomplete', async () => {
    const { backend, stats } = fakeBackend({ fails: mitigated });
    const controller = new AbortController();
    const result = await deliberate(testCase(), {
      backend,
      schemes,
      signal: controller.signal,
      // Stopped once the critique is over: every argument is verified, only the comparison is left.
      onEvent: (event) => {
        if (event.type === 'round-done' && event.round > 0 && event.added === 0) controller.abort();
      },
    });
    expect(stats.verify).toBe(4);
    expect(stats.compare).toBe(0);
    expect(result.aborted).toBe(true);
    expect(result.status).toBe('incomplete');
    expect(result.openQuestions?.[0].reason).toBe(
      'the comparison of the tied options a, b did not complete: the deliberation was aborted before the comparison',
    );
  });

  it('reports no justified decision when every option is defeated, flagging a probable reasoning error', async () => {
    const { backend } = fakeBackend({
      fails: { 'ASDM for a': { 'side-effects': 'a harms' }, 'ASDM for b': { 'side-effects': 'b harms' } },
    });
    const result = await deliberate(testCase(), { backend, schemes });
    expect(result.status).toBe('no-justified-decision');
    expect(result.rejected.map((r) => [r.option, r.label])).toEqual([
      ['a', 'OUT'],
      ['b', 'OUT'],
    ]);
    expect(result.rejected[0].defeaters).toEqual([byText(result, 'side-effects against ASDM for a')]);
    expect(result.explanation).toMatch(/reasoning error/);
  });

  it('fails with the reason when the generator throws in round 0, without throwing', async () => {
    const { backend } = fakeBackend({
      propose: () => {
        throw new Error('model unavailable');
      },
    });
    const result = await deliberate(testCase(), { backend, schemes });
    expect(result.status).toBe('failed');
    expect(result.reason).toContain('model unavailable');
    expect(result.failures).toEqual([{ role: 'generator', stage: 'propose', error: 'model unavailable' }]);
    expect(result.explanation).toContain('model unavailable');
  });

  it('fails when round 0 yields no decision argument', async () => {
    const { backend } = fakeBackend({ propose: () => [] });
    const result = await deliberate(testCase(), { backend, schemes });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/no decision argument/);
  });

  it('records a verifier that throws and goes on with the rest', async () => {
    const { backend } = fakeBackend({
      fails: { 'ASDM for a': { 'side-effects': 'a harms' } },
      beforeVerify: (request) => {
        if (request.argument.text === 'ASDM for b') throw new Error('verifier crashed');
      },
    });
    const result = await deliberate(testCase(), { backend, schemes });
    // b was never verified: it may not be decided, and the run says so.
    expect(result.status).toBe('incomplete');
    expect(result.decision).toBeUndefined();
    const b = byText(result, 'ASDM for b');
    expect(result.openQuestions).toMatchObject([{ argument: b, cause: 'not-verified' }]);
    expect(result.pending).toMatchObject([{ option: 'b', argument: b }]);
    expect(result.graph.nodes.find((n) => n.id === b)?.label).toBe('UNDEC');
    expect(result.explanation).toMatch(/incomplete/);
    expect(result.failures).toEqual([
      {
        role: 'verifier',
        stage: 'verify',
        argument: byText(result, 'ASDM for b'),
        error: 'verifier crashed',
      },
    ]);
    expect(result.usage.argumentsVerified).toBe(2);
    expect(result.graph.nodes.filter((n) => n.scheme === 'NOT-VERIFIED')).toHaveLength(1);
  });

  it('drops decisions for unknown options and keeps at most maxDecisions proposals', async () => {
    const proposeSix = () => ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'].map((o) => decision(o));
    const { backend } = fakeBackend({ propose: proposeSix });
    const open = testCase({ options: undefined });
    const result = await deliberate(open, { backend, schemes, budgets: { maxDecisions: 3 } });
    expect(result.candidates?.map((o) => o.id)).toEqual(['o1', 'o2', 'o3']);
    expect(result.graph.nodes).toHaveLength(3);
    expect(result.failures).toHaveLength(3);
    const closed = await deliberate(testCase(), { backend, schemes });
    expect(closed.status).toBe('failed');
    expect(closed.failures[0].error).toMatch(/unknown option "o1"/);
  });

  it('argues yes / no / maybe for a yes-no-maybe question', async () => {
    const { backend } = fakeBackend({
      fails: { 'ASDM for no': { facts: 'contradicted' }, 'ASDM for maybe': { facts: 'contradicted' } },
    });
    const kase = testCase({ options: undefined, questionType: 'yes-no-maybe' });
    const result = await deliberate(kase, { backend, schemes });
    expect(result.status).toBe('decided');
    expect(result.decision?.option).toBe('yes');
    expect(result.rejected.map((r) => r.option)).toEqual(['no', 'maybe']);
  });
});

describe('deliberate: graph', () => {
  it('keeps identical counter-arguments once and only adds their attacks', async () => {
    const shared = belief('ASSE', 'shared side effect');
    const { backend } = fakeBackend({
      fails: { 'ASDM for a': { 'side-effects': 'x' }, 'ASDM for b': { 'side-effects': 'y' } },
      counter: () => shared,
    });
    const result = await deliberate(testCase(), { backend, schemes });
    expect(result.graph.nodes.map((n) => n.text)).toEqual(['ASDM for a', 'ASDM for b', 'shared side effect']);
    const se = byText(result, 'shared side effect');
    expect(result.graph.attacks.filter((e) => e.from === se).map((e) => e.to)).toEqual(['a1', 'a2']);
    expect(result.status).toBe('no-justified-decision');
  });

  it('makes exclusive decisions attack each other both ways', async () => {
    const kase = testCase({
      options: [
        { id: 'a', text: 'A' },
        { id: 'b', text: 'B' },
        { id: 'c', text: 'C' },
      ],
    });
    const { backend } = fakeBackend();
    const result = await deliberate(kase, { backend, schemes });
    const exclusive = result.graph.attacks
      .filter((e) => e.question === 'exclusive')
      .map((e) => `${e.from}>${e.to}`);
    expect(exclusive.sort()).toEqual(['a1>a2', 'a1>a3', 'a2>a1', 'a2>a3', 'a3>a1', 'a3>a2']);
    expect(result.status).toBe('undecided');
    expect(result.tied).toEqual(['a', 'b', 'c']);
  });

  it('gives the same ids whatever the timing of parallel calls', async () => {
    const run = async (seed: number) => {
      let s = seed;
      const { backend } = fakeBackend({
        fails: { ...mitigated, 'ASDM for a': { facts: 'no' } },
        beforeVerify: () => {
          s = (s * 7 + 3) % 11;
          return new Promise((resolve) => setTimeout(resolve, s));
        },
      });
      return deliberate(testCase(), { backend, schemes });
    };
    const [first, second] = await Promise.all([run(1), run(5)]);
    expect(first.graph).toEqual(second.graph);
  });
});
