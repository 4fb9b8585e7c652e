/**
 * Ratings as files: export as CSV or JSONL (one rating a row/line), and import from CSV for ratings gathered
 * elsewhere (for instance on the report's items CSV). Columns: item, method, rater, correctness,
 * completeness, clarity, trust (whole numbers 1–5), comment (optional), rated_at (optional).
 */
import { uncleanTextReason } from '../../../agents/case.js';
import { csvText, parseCsv } from '../reports/csv.js';
import type { RatingRow } from '../../store/eval-ratings.table.js';
import { RATING_DIMENSIONS } from './rating-dimensions.js';

export const RATING_COLUMNS = ['item', 'method', 'rater', ...RATING_DIMENSIONS, 'comment', 'rated_at'] as const;

/** A row of an import that could not be read: its line and the column at fault. */
export interface RatingProblem {
  line: number;
  column: string;
  message: string;
}

export function ratingsCsv(rows: readonly RatingRow[]): string {
  return csvText([[...RATING_COLUMNS], ...rows.map((r) => [r.item_key, r.method, r.rater, ...RATING_DIMENSIONS.map((d) => r[d]), r.comment, r.rated_at])]);
}

export function ratingsJsonl(rows: readonly RatingRow[]): string {
  return rows
    .map((r) => JSON.stringify({ item: r.item_key, method: r.method, rater: r.rater, ...Object.fromEntries(RATING_DIMENSIONS.map((d) => [d, r[d]])), comment: r.comment, source: r.source, rated_at: r.rated_at }))
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * Reads an import CSV (header first). Valid rows become ratings of `runId`; every bad row is reported, none
 * is half-read. O(|text|).
 */
export function parseRatingsCsv(text: string, runId: string, now = new Date().toISOString()): { rows: RatingRow[]; problems: RatingProblem[] } {
  const problems: RatingProblem[] = [];
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (error) {
    return { rows: [], problems: [{ line: 0, column: '', message: (error as Error).message }] };
  }
  const [header, ...body] = table;
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const missing = ['item', 'method', 'rater', ...RATING_DIMENSIONS].filter((c) => !names.includes(c));
  if (missing.length > 0) return { rows: [], problems: [{ line: 1, column: missing[0], message: `the header has no "${missing[0]}" column` }] };
  const rows: RatingRow[] = [];
  for (const [index, cells] of body.entries()) {
    const line = index + 2;
    const get = (c: string) => (cells[names.indexOf(c)] ?? '').trim();
    const bad = (column: string, message: string) => problems.push({ line, column, message });
    const empty = ['item', 'method', 'rater'].find((c) => get(c) === '');
    if (empty) {
      bad(empty, 'is empty');
      continue;
    }
    // Stored text is clinical text: a control character is refused here, as on the rating page.
    const unclean = names.map((column, i) => ({ column, reason: uncleanTextReason(cells[i] ?? '') })).find((c) => c.reason);
    if (unclean?.reason) {
      bad(unclean.column, unclean.reason);
      continue;
    }
    const scores = RATING_DIMENSIONS.map((d) => [d, get(d)] as const);
    const wrong = scores.find(([, v]) => !/^[1-5]$/.test(v));
    if (wrong) {
      bad(wrong[0], `must be a whole number from 1 to 5, got "${wrong[1]}"`);
      continue;
    }
    const comment = names.includes('comment') ? get('comment') : '';
    rows.push({
      run_id: runId,
      item_key: get('item'),
      method: get('method'),
      rater: get('rater').slice(0, 200),
      ...(Object.fromEntries(scores.map(([d, v]) => [d, Number(v)])) as Record<(typeof RATING_DIMENSIONS)[number], number>),
      comment: comment === '' ? null : comment.slice(0, 4000),
      source: 'import',
      rated_at: (names.includes('rated_at') && get('rated_at')) || now,
    });
  }
  return { rows, problems };
}
