/**
 * The items of a report as CSV (RFC 4180 quoting): one row an item × method, with the answer, correctness,
 * cost and, for argmed, the deliberation status and the stored case id.
 */
import type { RunReport } from './build-report.js';

const COLUMNS = [
  'item',
  'method',
  'status',
  'gold',
  'predicted',
  'correct',
  'parsed_by',
  'argmed_status',
  'evaluator_prediction',
  'calls',
  'tokens_in',
  'tokens_out',
  'latency_ms',
  'case_id',
  'error',
] as const;

function cell(value: unknown): string {
  const text = value === undefined || value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV text (header first). O(items). */
export function reportCsv(report: RunReport): string {
  const lines = [COLUMNS.join(',')];
  for (const i of report.items) {
    const row = [
      i.itemKey,
      i.method,
      i.status,
      i.gold,
      i.predicted,
      i.correct ? 1 : 0,
      i.outcome?.parsedBy,
      i.outcome?.argmed?.status,
      i.outcome?.evaluatorPrediction,
      i.calls,
      i.tokensIn,
      i.tokensOut,
      i.latencyMs,
      i.outcome?.argmed?.caseId,
      i.error,
    ];
    lines.push(row.map(cell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
