/**
 * Runs one agent call under the deliberation's rules: it waits for a concurrency slot, starts only while the
 * budgets allow and the deliberation is not stopped, gives up when the stop signal fires, and turns a thrown
 * error into a recorded failure instead of an exception.
 */
import type { AgentFailure } from '../../agents/types.js';
import type { DeliberationState } from './deliberation-state.js';

/** The outcome of an agent call: its value, or why there is none. */
export type AgentCallOutcome<T> = { ok: true; value: T } | { ok: false; error: string; skipped: boolean };

/** Which call this is, for the usage counters and the failure record. */
export interface AgentCallSite {
  stage: AgentFailure['stage'];
  role: AgentFailure['role'];
  argument?: string;
}

/**
 * Runs `call` when a slot is free.
 * @returns `{ ok: true, value }`, or `{ ok: false, skipped: true }` when a budget or the stop signal kept it
 * from starting, or `{ ok: false, skipped: false }` when it failed (the failure is recorded).
 */
export function agentCall<T>(
  state: DeliberationState,
  site: AgentCallSite,
  call: () => Promise<T>,
): Promise<AgentCallOutcome<T>> {
  const before = blockedReason(state);
  if (before) return Promise.resolve({ ok: false, error: before, skipped: true });
  return state.limit(() => startCall(state, site, call));
}

// No async functions below: a 200-argument deliberation makes about 400 calls, and every async layer costs a
// promise, its reactions and a closure each (the allocations, and the young-generation collections they
// cause, were most of the engine's own time).

/** Why no call may start now, or undefined when one may. */
function blockedReason(state: DeliberationState): string | undefined {
  const reason = state.stop.reason();
  if (reason === 'deadline') return 'the deadline passed';
  if (reason === 'aborted') return 'the deliberation was aborted';
  if (!state.budget.allowsCall()) return 'the model-call or token budget is spent';
  return undefined;
}

/** Starts the call in its slot (unless blocked meanwhile); settles with its outcome, never rejects. */
function startCall<T>(
  state: DeliberationState,
  site: AgentCallSite,
  call: () => Promise<T>,
): Promise<AgentCallOutcome<T>> {
  const now = blockedReason(state);
  if (now) return Promise.resolve({ ok: false, error: now, skipped: true });
  const counters = state.budget.usage.agentCalls;
  if (counters) counters[site.stage] += 1;
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    return Promise.resolve(failed<T>(state, site, error));
  }
  return state.stop.race(pending).then(
    (value): AgentCallOutcome<T> => ({ ok: true, value }),
    (error: unknown) => failed<T>(state, site, error),
  );
}

/** Records a failed call. */
function failed<T>(state: DeliberationState, site: AgentCallSite, error: unknown): AgentCallOutcome<T> {
  const message = error instanceof Error ? error.message : String(error);
  const stopped = state.stop.reason() !== undefined;
  state.budget.recordFailure({
    role: site.role,
    stage: site.stage,
    ...(site.argument !== undefined ? { argument: site.argument } : {}),
    error: stopped ? `stopped: ${message}` : message,
  });
  return { ok: false, error: message, skipped: false };
}
