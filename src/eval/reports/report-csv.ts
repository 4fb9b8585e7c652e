/**
 * The items of a report as CSV (RFC 4180 quoting): one row an item × method, with the answer, correctness,
 * why it abstained (if it did), cost, for argmed the deliberation status and the stored case id, and the
 * explanation text as the method gave it (for rating elsewhere; the rating import reads item and method).
 */
import { abstentionType, answerConfidence } from '../metrics/selective-prediction.js';
import type { RunReport } from './build-report.js';
import { csvText } from './csv.js';

const COLUMNS = [
  'item',
  'method',
  'status',
  'gold',
  'predicted',
  'correct',
  'abstention',
  'confidence',
  'parsed_by',
  'argmed_status',
  'evaluator_prediction',
  'calls',
  'tokens_in',
  'tokens_out',
  'latency_ms',
  'case_id',
  'error',
  'explanation',
] as const;


/** The CSV text (header first). O(items). */
export function reportCsv(report: RunReport): string {
  const rows: unknown[][] = [[...COLUMNS]];
  for (const i of report.items) {
    const row = [
      i.itemKey,
      i.method,
      i.status,
      i.gold,
      i.predicted,
      i.correct ? 1 : 0,
      abstentionType(i),
      abstentionType(i) === undefined ? answerConfidence(i).toFixed(3) : undefined,
      i.outcome?.parsedBy,
      i.outcome?.argmed?.status,
      i.outcome?.evaluatorPrediction,
      i.calls,
      i.tokensIn,
      i.tokensOut,
      i.latencyMs,
      i.outcome?.argmed?.caseId,
      i.error,
      i.outcome?.explanation,
    ];
    rows.push(row);
  }
  return csvText(rows);
}
