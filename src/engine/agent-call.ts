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
export async function agentCall<T>(
  state: DeliberationState,
  site: AgentCallSite,
  call: () => Promise<T>,
): Promise<AgentCallOutcome<T>> {
  const blocked = (): string | undefined => {
    const reason = state.stop.reason();
    if (reason === 'deadline') return 'the deadline passed';
    if (reason === 'aborted') return 'the deliberation was aborted';
    if (!state.budget.allowsCall()) return 'the model-call or token budget is spent';
    return undefined;
  };
  const before = blocked();
  if (before) return { ok: false, error: before, skipped: true };
  return state.limit(async (): Promise<AgentCallOutcome<T>> => {
    const now = blocked();
    if (now) return { ok: false, error: now, skipped: true };
    const counters = state.budget.usage.agentCalls;
    if (counters) counters[site.stage] += 1;
    try {
      return { ok: true, value: await state.stop.race(call()) };
    } catch (error) {
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
  });
}
