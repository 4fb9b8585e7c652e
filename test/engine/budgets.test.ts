import { describe, expect, it } from 'vitest';
import type { Argument } from '../../agents/types.js';
import { deliberate } from '../../src/engine/deliberate.js';
import { belief, decision, fakeBackend, testCase, testSchemes } from './fake-backend.js';

const schemes = testSchemes();

/** Every argument fails its fact question and every counter is new: the dialogue never ends by itself. */
const endless = {
  fails: (argument: Argument): Record<string, string> =>
    argument.scheme === 'ASDM' ? { facts: 'doubtful' } : { really: 'doubtful' },
  counter: (argument: Argument) => belief('FACT', `not (${argument.text})`),
};

const hang = () => new Promise<void>(() => {});

describe('deliberate: budgets', () => {
  it('stops after maxRounds critique rounds', async () => {
    const { backend } = fakeBackend(endless);
    const result = await deliberate(testCase(), { backend, schemes, budgets: { maxRounds: 3 } });
    expect(result.budgetsHit).toEqual(['maxRounds']);
    expect(result.rounds).toBe(4);
    expect(Math.max(...result.graph.nodes.map((n) => n.round))).toBe(3);
    expect(result.explanation).toContain('budget reached: maxRounds');
  });

  it('stops at maxArguments', async () => {
    const { backend } = fakeBackend(endless);
    const result = await deliberate(testCase(), { backend, schemes, budgets: { maxArguments: 5 } });
    // Doubts are added whatever the budget: failing closed may not depend on room.
    expect(result.graph.nodes.filter((n) => n.agent !== 'engine')).toHaveLength(5);
    expect(result.budgetsHit).toContain('maxArguments');
    expect(result.status).toBe('incomplete');
    expect(result.openQuestions?.map((q) => q.cause)).toContain('counter-failed');
  });

  it('uses the default of 8 rounds and takes the case settings over the defaults', async () => {
    const { backend } = fakeBackend(endless);
    const byDefault = await deliberate(testCase(), { backend, schemes });
    // Round 0 and 8 critique rounds; the counters of the last round were never verified, so nothing is
    // reinstated: the run is incomplete, and no better-decision round is asked to break a tie that is not one.
    expect(Math.max(...byDefault.graph.nodes.map((n) => n.round))).toBe(8);
    expect(byDefault.usage.agentCalls?.compare).toBe(0);
    expect(byDefault.rounds).toBe(9);
    expect(byDefault.budgetsHit).toEqual(['maxRounds']);
    expect(byDefault.status).toBe('incomplete');
    const { backend: quiet, stats } = fakeBackend(endless);
    const none = await deliberate(testCase({ settings: { maxRounds: 0 } }), { backend: quiet, schemes });
    expect(stats.verify).toBe(0);
    expect(none.rounds).toBe(1);
    expect(none.status).toBe('incomplete');
    expect(none.pending?.map((p) => p.option)).toEqual(['a', 'b']);
    expect(none.openQuestions?.every((q) => q.cause === 'not-verified')).toBe(true);
  });

  it('stops starting model calls at maxLlmCalls', async () => {
    const { backend, stats } = fakeBackend({ ...endless, call: {} });
    const result = await deliberate(testCase(), {
      backend,
      schemes,
      budgets: { maxLlmCalls: 3, concurrency: 1 },
    });
    expect(result.usage.llmCalls).toBe(3);
    expect(result.calls).toHaveLength(3);
    expect(stats.counter).toBe(0);
    expect(result.budgetsHit).toContain('maxLlmCalls');
  });

  it('stops starting model calls at maxTokens and does not count cached calls', async () => {
    const { backend } = fakeBackend({ ...endless, call: { tokensIn: 10, tokensOut: 5 } });
    const result = await deliberate(testCase(), {
      backend,
      schemes,
      budgets: { maxTokens: 20, concurrency: 1 },
    });
    expect(result.usage.tokensIn + result.usage.tokensOut).toBe(30);
    expect(result.budgetsHit).toContain('maxTokens');
    const { backend: cached } = fakeBackend({ ...endless, call: { cached: true } });
    const free = await deliberate(testCase(), {
      backend: cached,
      schemes,
      budgets: { maxTokens: 20, maxRounds: 2 },
    });
    expect(free.usage.llmCalls).toBe(0);
    expect(free.usage.cachedCalls).toBeGreaterThan(3);
    expect(free.budgetsHit).toEqual(['maxRounds']);
  });

  it('returns by the deadline even when the back-end ignores the abort signal', async () => {
    const { backend } = fakeBackend({ beforeVerify: hang });
    const started = Date.now();
    const result = await deliberate(testCase(), { backend, schemes, budgets: { deadlineMs: 150 } });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(result.budgetsHit).toEqual(['deadlineMs']);
    expect(result.status).toBe('incomplete');
    expect(result.explanation).toMatch(/\[not-verified\]/);
    expect(result.failures.every((f) => f.error.startsWith('stopped:'))).toBe(true);
    expect(result.aborted).toBeUndefined();
  });

  it('treats a deadline beyond the timer range as no deadline', async () => {
    const { backend } = fakeBackend();
    const result = await deliberate(testCase(), { backend, schemes, budgets: { deadlineMs: 1e12 } });
    expect(result.budgetsHit).toEqual([]);
    expect(result.status).toBe('undecided');
  });

  it('fails when the deadline passes during round 0', async () => {
    const { backend } = fakeBackend({ propose: () => hang().then(() => []) });
    const result = await deliberate(testCase(), { backend, schemes, budgets: { deadlineMs: 100 } });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/deadline/);
    expect(result.budgetsHit).toEqual(['deadlineMs']);
  });

  it("stops on the caller's abort signal", async () => {
    const controller = new AbortController();
    const { backend } = fakeBackend({
      beforeVerify: () => {
        setTimeout(() => controller.abort(), 20);
        return hang();
      },
    });
    const result = await deliberate(testCase(), { backend, schemes, signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(result.budgetsHit).toEqual([]);
    const already = await deliberate(testCase(), { backend, schemes, signal: AbortSignal.abort() });
    expect(already.status).toBe('failed');
    expect(already.aborted).toBe(true);
  });
});

describe('deliberate: concurrency', () => {
  const sixOptions = testCase({
    options: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, text: `treatment ${id}` })),
  });
  const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 30));

  it('keeps at most `concurrency` calls in flight', async () => {
    const { backend, stats } = fakeBackend({ beforeVerify: slow });
    await deliberate(sixOptions, { backend, schemes, budgets: { concurrency: 2 } });
    expect(stats.verify).toBe(6);
    expect(stats.maxInFlight).toBe(2);
  });

  it('verifies the arguments of a round in parallel, one call each', async () => {
    const { backend, stats } = fakeBackend({ beforeVerify: slow });
    const started = Date.now();
    const result = await deliberate(sixOptions, { backend, schemes });
    expect(stats.maxInFlight).toBe(6);
    expect(result.usage.agentCalls?.verify).toBe(6);
    expect(result.usage.argumentsVerified).toBe(6);
    expect(Date.now() - started).toBeLessThan(6 * 30);
  });

  it('never lets a throwing onEvent listener break the run', async () => {
    const { backend } = fakeBackend();
    const result = await deliberate(testCase(), {
      backend,
      schemes,
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    expect(result.status).toBe('undecided');
  });
});

describe('deliberate: unknown schemes and odd answers', () => {
  it('records an unknown critical question and an unloaded counter-scheme as failures', async () => {
    const { backend: base } = fakeBackend({
      propose: () => [decision('a'), decision('b'), belief('NOPE', 'unknown scheme')],
    });
    const backend = {
      ...base,
      verifier: {
        verify: async (request: Parameters<typeof base.verifier.verify>[0]) => [
          ...(await base.verifier.verify(request)),
          { question: 'no-such-question', verdict: 'fail' as const, reason: 'x' },
        ],
      },
    };
    const result = await deliberate(testCase(), { backend, schemes });
    expect(result.failures.map((f) => f.error).sort()).toEqual([
      expect.stringMatching(/scheme "NOPE" is not loaded/),
      expect.stringMatching(/unknown critical question "no-such-question"/),
      expect.stringMatching(/unknown critical question "no-such-question"/),
    ]);
    const noBetter = testSchemes(schemes.all().filter((s) => s.id !== 'ASDM'));
    const none = await deliberate(testCase(), { backend, schemes: noBetter });
    expect(none.status).toBe('failed');
    expect(none.reason).toMatch(/decision scheme "ASDM" is not loaded/);
  });
});
