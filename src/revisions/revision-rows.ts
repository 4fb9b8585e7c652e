/**
 * Revision rows: revision 1 made from a finished deliberation, a new revision made from a re-solved result,
 * and the view of a row that the API lists (labels changed, decision changed), all built without I/O.
 */
import type { DeliberationGraph, DeliberationResult, Label } from '../engine/types.js';
import type { CaseGraphRow } from '../store/case-graphs.table.js';
import type { CaseRevisionRow, NewCaseRevisionRow } from '../store/case-revisions.table.js';
import type { CaseRow } from '../store/cases.table.js';
import { revisionHash } from './revision-hash.js';
import type { LabelChange, RevisionKind, RevisionView } from './types.js';

/** What a revision stores of a result: everything but the graph (its own column) and the call log. */
export type StoredOutcome = Omit<DeliberationResult, 'graph' | 'calls'>;

/** Labels by argument id. O(|A|). */
export function labelsOf(graph: DeliberationGraph): Record<string, Label> {
  const labels: Record<string, Label> = {};
  for (const node of graph.nodes) if (node.label) labels[node.id] = node.label;
  return labels;
}

/** The outcome part of a result. */
export function storedOutcome(result: DeliberationResult | Omit<DeliberationResult, 'graph'>): StoredOutcome {
  const { calls: _calls, ...rest } = result as DeliberationResult;
  const { graph: _graph, ...outcome } = rest as DeliberationResult;
  return outcome;
}

/**
 * Revision 1 of a case: its deliberation's graph and outcome, by `system`, stored with the result when the
 * deliberation ends (src/cases/case-outcome.ts), so the hash chain starts there.
 * @param graph the graph as stored in `case_graphs` (JSON text), @param at when the result was stored.
 */
export function firstRevisionRow(caseId: string, graph: string, outcome: StoredOutcome, at: string): NewCaseRevisionRow {
  return sealed({
    case_id: caseId,
    revision: 1,
    kind: 'deliberation',
    author: 'system',
    reason: null,
    change: '{}',
    graph,
    outcome: JSON.stringify(outcome),
    labels_before: '{}',
    labels_after: JSON.stringify(labelsOf(JSON.parse(graph) as DeliberationGraph)),
    subject: null,
    previous_hash: null,
    created_at: at,
  });
}

/** Revision 1 of a case finished before revisions were stored with the result (its stored rows). */
export function firstRevisionOfStored(row: CaseRow, graphRow: CaseGraphRow): NewCaseRevisionRow {
  const outcome = storedOutcome(JSON.parse(row.result ?? '{}') as Omit<DeliberationResult, 'graph'>);
  return firstRevisionRow(row.id, graphRow.graph, outcome, row.finished_at ?? row.updated_at);
}

/** The row of a new revision after `previous`. */
export function nextRevisionRow(
  previous: CaseRevisionRow,
  fields: {
    kind: RevisionKind;
    author: string;
    reason: string;
    change: Record<string, unknown>;
    result: DeliberationResult;
    subject?: string;
    at: string;
  },
): NewCaseRevisionRow {
  return sealed({
    case_id: previous.case_id,
    revision: previous.revision + 1,
    kind: fields.kind,
    author: fields.author,
    reason: fields.reason,
    change: JSON.stringify(fields.change),
    graph: JSON.stringify(fields.result.graph),
    outcome: JSON.stringify(storedOutcome(fields.result)),
    labels_before: previous.labels_after,
    labels_after: JSON.stringify(labelsOf(fields.result.graph)),
    subject: fields.subject ?? null,
    previous_hash: previous.hash,
    created_at: fields.at,
  });
}

function sealed(row: Omit<NewCaseRevisionRow, 'hash'>): NewCaseRevisionRow {
  return { ...row, hash: revisionHash(row) };
}

/**
 * A row as the API shows it: which labels changed (arguments added or removed included) and whether the
 * decision changed (another option, or decided <-> not decided) against the previous revision. O(|A|).
 */
export function revisionView(row: CaseRevisionRow, previous: CaseRevisionRow | undefined): RevisionView {
  const outcome = JSON.parse(row.outcome) as StoredOutcome;
  const before = JSON.parse(row.labels_before) as Record<string, Label>;
  const after = JSON.parse(row.labels_after) as Record<string, Label>;
  const labelsChanged: LabelChange[] = [];
  for (const [argument, label] of Object.entries(after)) {
    if (before[argument] !== label)
      labelsChanged.push({ argument, before: before[argument] ?? null, after: label });
  }
  for (const [argument, label] of Object.entries(before)) {
    if (!(argument in after)) labelsChanged.push({ argument, before: label, after: null });
  }
  const earlier = previous ? (JSON.parse(previous.outcome) as StoredOutcome) : undefined;
  const decisionChanged =
    earlier !== undefined &&
    (earlier.status !== outcome.status || earlier.decision?.option !== outcome.decision?.option);
  return {
    revision: row.revision,
    kind: row.kind as RevisionKind,
    author: row.author,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    at: row.created_at,
    change: JSON.parse(row.change) as Record<string, unknown>,
    status: outcome.status,
    ...(outcome.decision ? { decision: outcome.decision } : {}),
    labelsChanged,
    decisionChanged,
    hash: row.hash,
    ...(row.previous_hash !== null ? { previousHash: row.previous_hash } : {}),
  };
}
