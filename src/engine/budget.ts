/**
 * The budget of one deliberation: counts model calls and tokens as the back-end reports them, and tells the
 * loop whether another agent call or argument still fits. Limits are checked before a call starts, so calls
 * already in flight may overshoot `maxLlmCalls`/`maxTokens` by at most what `concurrency` calls use.
 */
import type { AgentFailure, LlmCallRecord } from '../../agents/types.js';
import type { Budgets, Usage } from './types.js';

/** The usage counters and limit checks of one deliberation. */
export interface Budget {
  readonly limits: Budgets;
  readonly usage: Usage;
  readonly calls: LlmCallRecord[];
  readonly failures: AgentFailure[];
  /** Budgets that stopped something, in the order they were first hit. */
  readonly hit: Array<keyof Budgets>;
  /** Records one model call (cached calls count apart and cost no tokens). */
  recordCall(call: LlmCallRecord): void;
  recordFailure(failure: AgentFailure): void;
  /** Marks a budget as hit (idempotent). */
  markHit(budget: keyof Budgets): void;
  /** Whether another model-backed agent call may start; marks the exhausted budget when not. */
  allowsCall(): boolean;
  /** Whether the graph may grow to `count + 1` arguments; marks `maxArguments` when not. */
  allowsArgument(count: number): boolean;
  /** Milliseconds since the deliberation started. */
  elapsed(): number;
}

/**
 * Creates the budget of a deliberation.
 * @param limits the effective budgets.
 * @param now clock in milliseconds (performance.now by default).
 */
export function createBudget(limits: Budgets, now: () => number = () => performance.now()): Budget {
  const started = now();
  const usage: Usage = {
    llmCalls: 0,
    cachedCalls: 0,
    tokensIn: 0,
    tokensOut: 0,
    wallMs: 0,
    roundMs: [],
    agentCalls: { propose: 0, verify: 0, counter: 0, compare: 0 },
    argumentsVerified: 0,
  };
  const calls: LlmCallRecord[] = [];
  const failures: AgentFailure[] = [];
  const hit: Array<keyof Budgets> = [];

  const markHit = (budget: keyof Budgets): void => {
    if (!hit.includes(budget)) hit.push(budget);
  };

  return {
    limits,
    usage,
    calls,
    failures,
    hit,
    recordCall(call) {
      calls.push(call);
      if (call.cached) {
        usage.cachedCalls += 1;
        return;
      }
      usage.llmCalls += 1;
      usage.tokensIn += call.tokensIn;
      usage.tokensOut += call.tokensOut;
    },
    recordFailure(failure) {
      failures.push(failure);
    },
    markHit,
    allowsCall() {
      if (usage.llmCalls >= limits.maxLlmCalls) {
        markHit('maxLlmCalls');
        return false;
      }
      if (usage.tokensIn + usage.tokensOut >= limits.maxTokens) {
        markHit('maxTokens');
        return false;
      }
      return true;
    },
    allowsArgument(count) {
      if (count >= limits.maxArguments) {
        markHit('maxArguments');
        return false;
      }
      return true;
    },
    elapsed() {
      return now() - started;
    },
  };
}
