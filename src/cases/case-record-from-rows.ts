/**
 * Turns stored rows back into the records of the case service contract (types.ts). The case and its status
 * are checked on the way out (`readStoredCase`); the result, graph and feedback columns are written only
 * by the engine's and this service's own types and are parsed as such.
 */
import { DELIBERATION_STATUSES, type DeliberationGraph, type DeliberationResult } from '../engine/types.js';
import type { CaseFeedbackRow } from '../store/case-feedback.table.js';
import type { CaseGraphRow } from '../store/case-graphs.table.js';
import type { CaseSummaryRow } from '../store/cases.repository.js';
import type { CaseRow } from '../store/cases.table.js';
import { readStoredCase } from './case-input.js';
import type { CaseFeedback, CaseRecord, CaseStatus, CaseSummary } from './types.js';

const EMPTY_GRAPH: DeliberationGraph = { nodes: [], attacks: [] };

const STATUSES: ReadonlySet<string> = new Set<CaseStatus>(['queued', 'running', ...DELIBERATION_STATUSES]);

/** A stored status, checked against the statuses the service writes. @throws Error naming the case */
function storedStatus(status: string, caseId: string): CaseStatus {
  if (STATUSES.has(status)) return status as CaseStatus;
  throw new Error(`argmed/cases: the stored case ${caseId} has an unknown status ${JSON.stringify(status)}`);
}

/**
 * A full record: the case row, its graph row (once finished) and its feedback rows.
 * The stored result has no graph (it lives in `case_graphs`); it is put back here.
 */
export function caseRecordFromRows(
  row: CaseRow,
  graphRow: CaseGraphRow | undefined,
  feedbackRows: readonly CaseFeedbackRow[],
): CaseRecord {
  const record: CaseRecord = {
    id: row.id,
    status: storedStatus(row.status, row.id),
    input: readStoredCase(row.input, row.id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    feedback: feedbackRows.map(feedbackFromRow),
  };
  if (row.result !== null) {
    const graph = graphRow ? (JSON.parse(graphRow.graph) as DeliberationGraph) : EMPTY_GRAPH;
    record.result = { ...(JSON.parse(row.result) as Omit<DeliberationResult, 'graph'>), graph };
  }
  if (row.error !== null) record.error = row.error;
  if (row.finished_at !== null) record.finishedAt = row.finished_at;
  return record;
}

/** A listing entry. */
export function caseSummaryFromRow(row: CaseSummaryRow): CaseSummary {
  const summary: CaseSummary = {
    id: row.id,
    status: storedStatus(row.status, row.id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.finished_at !== null) summary.finishedAt = row.finished_at;
  if (row.title !== null) summary.title = row.title;
  if (row.decision !== null) summary.decision = row.decision;
  return summary;
}

/** One feedback row as the contract's `CaseFeedback`. */
export function feedbackFromRow(row: CaseFeedbackRow): CaseFeedback {
  const feedback: CaseFeedback = { outcome: row.outcome as CaseFeedback['outcome'], at: row.at };
  if (row.override_reason !== null) {
    feedback.overrideReason = JSON.parse(row.override_reason) as NonNullable<CaseFeedback['overrideReason']>;
  }
  if (row.card !== null) feedback.card = row.card;
  return feedback;
}
