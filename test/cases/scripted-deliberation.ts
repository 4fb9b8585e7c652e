/**
 * A scripted stand-in for the engine's `deliberate`, for the service's unit tests: it emits a fixed dialogue
 * (one decision argument per option, an attack, a round, solved, decided), asks the call cache like a model
 * back-end would, can be held at a gate mid-run, made to throw, or made to return `failed`. The real engine
 * runs in case-service.engine.test.ts.
 */
import type { Case } from '../../agents/case.js';
import type { LlmCallRecord } from '../../agents/types.js';
import { createRegistry } from '../../schemes/load.js';
import type { BuiltBackend } from '../../src/backends.js';
import type { DeliberateFn } from '../../src/cases/case-service-options.js';
import type { DeliberationGraph, DeliberationResult } from '../../src/engine/types.js';

export interface Script {
  /** Calls made so far, by case question. */
  calls: string[];
  /** Deliberations in flight now, and the most seen at once. */
  running: number;
  maxRunning: number;
  /** Cache lookups that hit. */
  cacheHits: number;
  deliberate: DeliberateFn;
  /** Holds every deliberation after its first events until `release()`. */
  hold(): void;
  release(): void;
  /** Resolves when `n` deliberations have reached the gate. */
  atGate(n: number): Promise<void>;
}

/** A back-end that is never called (the scripted deliberation stands in for the engine), without schemes. */
export const FAKE_BACKEND: BuiltBackend = {
  backend: {
    name: 'scripted',
    generator: {
      propose: async () => [],
      counter: async () => null,
      compare: async () => [],
    },
    verifier: { verify: async () => [] },
  },
  schemes: createRegistry([]),
};

/**
 * Builds a script. Case questions steer it: `throw` throws, `fail` returns `failed`, `late call` makes one
 * more cached model call after the gate.
 */
export function createScript(): Script {
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  let reached = 0;
  const gateWaiters: Array<{ n: number; resolve: () => void }> = [];
  const script: Script = {
    calls: [],
    running: 0,
    maxRunning: 0,
    cacheHits: 0,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      open?.();
      gate = undefined;
    },
    atGate(n) {
      if (reached >= n) return Promise.resolve();
      return new Promise((resolve) => gateWaiters.push({ n, resolve }));
    },
    async deliberate(kase: Case, options) {
      script.calls.push(kase.question);
      script.running += 1;
      script.maxRunning = Math.max(script.maxRunning, script.running);
      try {
        return await run(kase, options);
      } finally {
        script.running -= 1;
      }
    },
  };

  async function run(kase: Case, options: Parameters<DeliberateFn>[1]): Promise<DeliberationResult> {
    const options_ = kase.options ?? [
      { id: 'yes', text: 'yes' },
      { id: 'no', text: 'no' },
    ];
    const graph: DeliberationGraph = { nodes: [], attacks: [] };
    for (const [index, option] of options_.entries()) {
      const argument = {
        id: `a${index + 1}`,
        scheme: 'ASDM',
        kind: 'decision' as const,
        option: option.id,
        variables: {},
        premises: ['p'],
        conclusion: `choose ${option.id}`,
        text: `choose ${option.id}`,
        round: 0,
        agent: 'generator',
      };
      graph.nodes.push(argument);
      options.onEvent?.({ type: 'argument-added', argument });
    }
    // Like a model back-end: ask the cache for this case's prompt, pay for it on a miss.
    const calls: LlmCallRecord[] = [];
    const promptHash = `prompt:${kase.question}`;
    const hit = await options.cache?.get(promptHash);
    const call: LlmCallRecord = {
      role: 'verifier',
      promptHash,
      model: 'scripted',
      tokensIn: 11,
      tokensOut: 7,
      latencyMs: 1,
      cached: hit !== undefined,
      attempts: 1,
    };
    if (hit !== undefined) script.cacheHits += 1;
    else await options.cache?.set(promptHash, '{"verdicts":[]}', call);
    calls.push(call);

    if (gate) {
      reached += 1;
      for (const waiter of gateWaiters.filter((entry) => entry.n <= reached)) waiter.resolve();
      const held = gate;
      await Promise.race([held, abortOf(options.signal)]);
    }
    if (kase.question.includes('late call')) {
      // A model call that completes after the gate (e.g. after the case was deleted elsewhere).
      const late = { ...call, promptHash: `late:${kase.question}`, cached: false };
      await options.cache?.set(late.promptHash, '{"late":true}', late);
      calls.push(late);
    }
    if (kase.question.includes('throw')) throw new Error('scripted engine crash');
    const aborted = options.signal?.aborted === true;
    const attack = { from: 'a1', to: 'a2', type: 'attack' as const, question: 'CQ1', reason: 'r' };
    if (graph.nodes.length > 1) {
      graph.attacks.push(attack);
      options.onEvent?.({ type: 'attack-added', attack });
    }
    options.onEvent?.({ type: 'round-done', round: 1, added: 1, ms: 1 });
    options.onEvent?.({ type: 'solved', labels: { a1: 'IN', a2: 'OUT' } });
    const failed = kase.question.includes('fail') || aborted;
    const decision = failed ? undefined : { option: options_[0].id, argument: 'a1' };
    options.onEvent?.({ type: 'decided', status: failed ? 'failed' : 'decided', decision });
    return {
      status: failed ? 'failed' : 'decided',
      reason: aborted ? 'aborted' : failed ? 'scripted failure' : undefined,
      decision,
      graph,
      justification: [],
      explanationArguments: failed ? [] : ['a1'],
      rejected: [],
      explanation: failed ? '' : `choose ${options_[0].id}`,
      rounds: 1,
      usage: { llmCalls: 1, cachedCalls: hit ? 1 : 0, tokensIn: 11, tokensOut: 7, wallMs: 1, roundMs: [1] },
      budgetsHit: [],
      failures: [],
      calls,
      aborted,
    };
  }

  return script;
}

function abortOf(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
