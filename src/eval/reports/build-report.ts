/**
 * The report of a run, from the store: its spec, per-method summaries (summariseRun) and every item result.
 * JSON, CSV and HTML renderings all start from this one object.
 */
import type { Db } from '../../store/database.js';
import { EvaluationError } from '../errors.js';
import { type MethodSummary, summariseRun } from '../metrics/summarise-run.js';
import { listItemResults } from '../../store/eval-items.repository.js';
import { findRun } from '../../store/eval-runs.repository.js';
import type { EvalItemRow } from '../../store/eval-items.table.js';
import { readProgress } from '../run/read-progress.js';
import { listRatings } from '../../store/eval-ratings.repository.js';
import { type RatingsSummary, summariseRatings } from '../ratings/summarise-ratings.js';
import { type Provenance, provenanceOf } from './provenance.js';
import { type DatasetProblem, type ItemResult, type MethodName, type RunProgress, type RunSpec, RunSpecSchema } from '../types.js';

export interface RunReport {
  runId: string;
  spec: RunSpec;
  status: string;
  createdAt: string;
  finishedAt?: string;
  progress: RunProgress;
  problems: DatasetProblem[];
  provenance: Provenance;
  summaries: MethodSummary[];
  /** Clinicians' ratings with their agreement; absent when nobody rated. */
  ratings?: RatingsSummary;
  items: ItemResult[];
}

/** An item row as the result contract. */
export function itemFromRow(row: EvalItemRow): ItemResult {
  return {
    runId: row.run_id,
    itemKey: row.item_key,
    method: row.method as MethodName,
    status: row.status as ItemResult['status'],
    gold: row.gold,
    predicted: row.predicted ?? undefined,
    correct: row.correct === 1,
    calls: row.calls,
    tokensIn: row.tokens_in,
    tokensOut: row.tokens_out,
    latencyMs: row.latency_ms,
    error: row.error ?? undefined,
    outcome: row.outcome ? JSON.parse(row.outcome) : undefined,
    finishedAt: row.finished_at,
  };
}

/**
 * @throws EvaluationError ARGMED_EVAL_RUN_NOT_FOUND for an unknown id. O(items).
 */
export async function buildReport(db: Db, runId: string): Promise<RunReport> {
  const edb = db;
  const run = await findRun(edb, runId);
  if (!run) throw new EvaluationError('ARGMED_EVAL_RUN_NOT_FOUND', `no evaluation run "${runId}" in this database`);
  const spec = RunSpecSchema.parse(JSON.parse(run.spec));
  const items = (await listItemResults(edb, runId)).map(itemFromRow);
  return {
    runId,
    spec,
    status: run.status,
    createdAt: run.created_at,
    finishedAt: run.finished_at ?? undefined,
    progress: await readProgress(db, runId, run.total),
    problems: run.problems ? (JSON.parse(run.problems) as DatasetProblem[]) : [],
    provenance: await provenanceOf(spec, items),
    summaries: summariseRun(items, spec.methods),
    ratings: summariseRatings(await listRatings(db, runId)),
    items,
  };
}
