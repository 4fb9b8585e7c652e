/**
 * How a run of a case ends in the store, each in one transaction with its closing `status` event so that a
 * reader who sees the terminal status also finds every event: the result of a deliberation (status,
 * result, graph, the rest of the call log), or `failed` for a case recovery gives up on.
 *
 * The `status` event is the service's own (engine events are stored as the engine emits them): its data is
 * `{ status, error? }`, plus `attempt` when a run starts.
 */
import type { LlmCallRecord } from '../../agents/types.js';
import type { DeliberationResult } from '../engine/types.js';
import { callRow } from '../store/call-log-cache.js';
import { appendCaseEvent } from '../store/case-events.repository.js';
import { upsertCaseGraph } from '../store/case-graphs.repository.js';
import { type CaseHoldRow, updateCaseIfHeldAs, updateOwnedCase } from '../store/cases.repository.js';
import type { Db } from '../store/database.js';
import { insertLlmCalls } from '../store/llm-calls.repository.js';
import { insertCaseRevision } from '../store/case-revisions.repository.js';
import { firstRevisionRow, storedOutcome } from '../revisions/revision-rows.js';
import { truncateReason } from './describe-error.js';
import { type CaseStatus, TERMINAL_STATUSES } from './types.js';

/** Whether a status is one after which nothing changes. */
export function isTerminalStatus(status: string | undefined): boolean {
  return status !== undefined && (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** The `status` event of a case, ready for `appendCaseEvent`. */
export function statusEvent(caseId: string, status: CaseStatus, error: string | undefined, at: string) {
  return { caseId, type: 'status', data: JSON.stringify(error ? { status, error } : { status }), at };
}

export interface RunOutcome {
  id: string;
  /** The process that ran it; the outcome is stored only while it still holds the case. */
  owner: string;
  /** The engine's result; absent when the deliberation threw. */
  result?: DeliberationResult;
  /** Why the run failed when there is no result. */
  failure?: string;
  /** Calls not yet in the call log (see `CallLogCache.unlogged`). */
  unloggedCalls: readonly LlmCallRecord[];
  at: string;
}

/**
 * Stores the end of a run: status (the result's, or `failed`), result without its graph, the graph, revision 1
 * of its graph (src/revisions), the remaining call-log rows and the terminal status event.
 * @returns the stored status, or undefined when the case was deleted or taken over meanwhile.
 */
export async function storeRunOutcome(db: Db, outcome: RunOutcome): Promise<CaseStatus | undefined> {
  const { id, owner, result, at } = outcome;
  const status: CaseStatus = result?.status ?? 'failed';
  const error =
    status === 'failed'
      ? truncateReason(outcome.failure ?? result?.reason ?? 'the deliberation failed')
      : null;
  return db.transaction().execute(async (trx) => {
    const { graph, ...rest } = result ?? { graph: undefined };
    const updated = await updateOwnedCase(trx, id, owner, {
      status,
      result: result ? JSON.stringify(rest) : null,
      error,
      decision: result?.decision?.option ?? null,
      finished_at: at,
      updated_at: at,
      owner: null,
      heartbeat_at: null,
    });
    if (!updated) return undefined;
    if (graph) {
      const text = JSON.stringify(graph);
      await upsertCaseGraph(trx, { case_id: id, graph: text, nodes: graph.nodes.length, attacks: graph.attacks.length, created_at: at });
      // Revision 1 with the result, so a case's audit trail starts when its outcome is stored (a failed case
      // has no graph to contest).
      if (result && status !== 'failed') await insertCaseRevision(trx, firstRevisionRow(id, text, storedOutcome(result), at));
    }
    await insertLlmCalls(
      trx,
      outcome.unloggedCalls.map((call) => callRow(id, call, null, new Date(at))),
    );
    await appendCaseEvent(trx, statusEvent(id, status, error ?? undefined, at));
    return status;
  });
}

/**
 * Marks `failed` a case whose holder died too often, if it is still held as recovery saw it.
 * @returns whether this call marked it.
 */
export async function failInterruptedCase(db: Db, seen: CaseHoldRow, at: string): Promise<boolean> {
  const error = `interrupted: the process running this case stopped ${seen.attempts} times; not retried again`;
  return db.transaction().execute(async (trx) => {
    const updated = await updateCaseIfHeldAs(trx, seen, {
      status: 'failed',
      error,
      finished_at: at,
      updated_at: at,
      owner: null,
      heartbeat_at: null,
    });
    if (updated) await appendCaseEvent(trx, statusEvent(seen.id, 'failed', error, at));
    return updated;
  });
}
