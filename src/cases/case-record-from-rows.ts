/**
 * Turns stored rows back into the records of the case service contract (types.ts). JSON columns were
 * written by this service, so they are parsed without a second validation.
 */
import type { Case } from '../../agents/case.js';
import type { DeliberationGraph, DeliberationResult } from '../engine/types.js';
import type { CaseFeedbackRow } from '../store/case-feedback.table.js';
import type { CaseGraphRow } from '../store/case-graphs.table.js';
import type { CaseSummaryRow } from '../store/cases.repository.js';
import type { CaseRow } from '../store/cases.table.js';
import type { CaseFeedback, CaseRecord, CaseStatus, CaseSummary } from './types.js';

const EMPTY_GRAPH: DeliberationGraph = { nodes: [], attacks: [] };

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
    status: row.status as CaseStatus,
    input: JSON.parse(row.input) as Case,
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
    status: row.status as CaseStatus,
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
