/**
 * Runs one item × method and stores its result: the unit of work of the in-process runner and of a queue
 * worker. Idempotent: an item already `done` is not run again (nothing paid), and storing is an insert
 * that keeps an existing `done` row, so a job run twice (a killed worker's job retried elsewhere) counts
 * once. Rate limits and cancellation are rethrown for the caller to slow down or stop; any other error
 * is stored as a `failed` result (retried by a later resume).
 */
import type { LlmCallRecord } from '../../../agents/types.js';
import { upsertCaseGraph } from '../../store/case-graphs.repository.js';
import { insertCase } from '../../store/cases.repository.js';
import type { Db } from '../../store/database.js';
import { isRateLimit } from '../errors.js';
import { gradedOptions } from '../methods/baseline-prompts.js';
import { type MethodContext, runMethod } from '../methods/run-method.js';
import type { EvalItem, ItemResult, MethodName, MethodOutcome } from '../types.js';
import { isItemDone } from '../../store/eval-items.repository.js';
import { itemWriter } from './item-writer.js';
import { stableUuid } from './run-id.js';

export interface ItemJob {
  runId: string;
  item: EvalItem;
  method: MethodName;
}

/** What happened to the job: `done`/`failed` was stored now, `skipped` was done before. */
export type ItemDisposition = { kind: 'skipped' } | { kind: 'stored'; result: ItemResult; written: boolean };

function paid(calls: readonly LlmCallRecord[]) {
  const real = calls.filter((c) => !c.cached);
  return {
    calls: real.length,
    tokensIn: real.reduce((n, c) => n + c.tokensIn, 0),
    tokensOut: real.reduce((n, c) => n + c.tokensOut, 0),
  };
}

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || (error as { code?: string })?.code === 'ARGMED_LLM_ABORTED';
}

/** A short, content-free description of an error: its code, or its class and message. */
function errorText(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'ARGMED_EVAL_ITEM_FAILED';
  return `${code}: ${typeof e?.message === 'string' ? e.message.slice(0, 300) : String(error)}`;
}

/** A job whose method has run (its answers are in hand) and whose result is not stored yet. */
export interface FinishedItem {
  job: ItemJob;
  outcome?: MethodOutcome;
  result: ItemResult;
}

/**
 * Runs and stores one job.
 * @param checkDone look the job up first (default true); the in-process runner, which only queues jobs it
 *   found pending, skips the query.
 * @throws the method's error when it is a rate limit or a cancellation (nothing stored then).
 */
export async function processItem(db: Db, job: ItemJob, ctx: MethodContext, checkDone = true): Promise<ItemDisposition> {
  if (checkDone && (await isItemDone(db, job.runId, job.item.key, job.method))) return { kind: 'skipped' };
  return storeItem(db, await runItem(job, ctx));
}

/**
 * Runs the job's method (the model calls) and builds its result; stores nothing (see `storeItem`).
 * @throws the method's error when it is a rate limit or a cancellation; any other error is a `failed` result.
 */
export async function runItem(job: ItemJob, ctx: MethodContext): Promise<FinishedItem> {
  const started = performance.now();
  let outcome: MethodOutcome | undefined;
  let error: string | undefined;
  try {
    outcome = await runMethod(job.method, job.item, ctx);
  } catch (caught) {
    if (isRateLimit(caught) || isAbort(caught, ctx.signal)) throw caught;
    error = errorText(caught);
  }
  const latencyMs = Math.round(performance.now() - started);
  const finishedAt = new Date().toISOString();
  const cost = paid(outcome?.calls ?? []);
  const result: ItemResult = {
    runId: job.runId,
    itemKey: job.item.key,
    method: job.method,
    status: outcome ? 'done' : 'failed',
    gold: job.item.answer,
    predicted: outcome?.predicted,
    correct: outcome?.predicted !== undefined && outcome.predicted === job.item.answer,
    ...cost,
    latencyMs,
    error,
    outcome: outcome && {
      ...outcome,
      options: gradedOptions(job.item.case),
      reference: job.item.reference,
      referenceGraph: job.item.referenceGraph,
    },
    finishedAt,
  };
  return { job, outcome, result };
}

/**
 * Stores a finished job: its deliberation (argmed) as a case, then its result, grouped with the results
 * finishing at the same time (one statement); resolves once the result is stored.
 * @throws a database error (nothing is reported stored then).
 */
export async function storeItem(db: Db, finished: FinishedItem): Promise<ItemDisposition> {
  const { job, outcome } = finished;
  let result = finished.result;
  if (outcome?.argmed && result.outcome?.argmed) {
    const caseId = await storeDeliberation(db, job, outcome, result.finishedAt);
    result = { ...result, outcome: { ...result.outcome, argmed: { ...result.outcome.argmed, caseId } } };
  }
  const caseId = result.outcome?.argmed?.caseId;
  const written = await itemWriter(db)({
    run_id: result.runId,
    item_key: result.itemKey,
    method: result.method,
    status: result.status,
    gold: result.gold,
    predicted: result.predicted ?? null,
    correct: result.correct ? 1 : 0,
    calls: result.calls,
    tokens_in: result.tokensIn,
    tokens_out: result.tokensOut,
    latency_ms: result.latencyMs,
    error: result.error ?? null,
    case_id: caseId ?? null,
    outcome: result.outcome ? JSON.stringify(result.outcome) : null,
    finished_at: result.finishedAt,
  });
  return { kind: 'stored', result, written };
}

/** Stores a job as failed without running it (a job that stayed rate limited past every retry). */
export async function storeFailure(db: Db, job: ItemJob, error: unknown): Promise<boolean> {
  return itemWriter(db)({
    run_id: job.runId,
    item_key: job.item.key,
    method: job.method,
    status: 'failed',
    gold: job.item.answer,
    predicted: null,
    correct: 0,
    calls: 0,
    tokens_in: 0,
    tokens_out: 0,
    latency_ms: 0,
    error: errorText(error),
    case_id: null,
    outcome: null,
    finished_at: new Date().toISOString(),
  });
}

/**
 * Stores an argmed deliberation as a finished case (its graph included), so the report can link the item
 * to `/v1/cases/:id/view`. The id is derived from run and item, and the idempotency key makes a second
 * store a no-op.
 */
async function storeDeliberation(db: Db, job: ItemJob, outcome: MethodOutcome, at: string): Promise<string> {
  const details = outcome.argmed!;
  const id = stableUuid(`${job.runId}/${job.item.key}`);
  const { graph, ...rest } = details;
  const result = {
    status: details.status,
    decision: outcome.predicted ? { option: outcome.predicted, argument: details.explanationArguments[0] } : undefined,
    justification: rest.justification,
    explanationArguments: rest.explanationArguments,
    rejected: rest.rejected,
    explanation: outcome.explanation,
    rounds: rest.rounds,
    budgetsHit: rest.budgetsHit,
    failures: [],
    calls: outcome.calls,
    usage: { llmCalls: outcome.calls.length, cachedCalls: 0, tokensIn: 0, tokensOut: 0, wallMs: 0, roundMs: [] },
  };
  // A second store of the same deliberation (a retried job) conflicts on the id: the first one stays.
  await insertCase(db, {
    id,
    status: details.status,
    input: JSON.stringify(job.item.case),
    settings: null,
    result: JSON.stringify(result),
    error: null,
    title: `${job.runId} ${job.item.key}`,
    decision: outcome.predicted ?? null,
    idempotency_key: `eval:${job.runId}:${job.item.key}`,
    body_hash: null,
    attempts: 1,
    owner: null,
    heartbeat_at: null,
    created_at: at,
    updated_at: at,
    finished_at: at,
  }).catch(() => false);
  await upsertCaseGraph(db, { case_id: id, graph: JSON.stringify(graph), nodes: graph.nodes.length, attacks: graph.attacks.length, created_at: at });
  return id;
}
