/**
 * PubMedQA PQA-L (`ori_pqal.json`): one JSON object keyed by PMID. Each record becomes a yes/no/maybe case
 * whose facts are the abstract's sections (CONTEXTS with their LABELS) and whose reference explanation is
 * the abstract's conclusion (LONG_ANSWER). By default only the official 500-item test split is used: the
 * PMIDs of `test_ground_truth.json` next to the file (pass `split: 'all'` for all 1,000).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CaseSchema, MAX_TEXT } from '../../../agents/case.js';
import { EvaluationError } from '../errors.js';
import type { DatasetProblem, EvalItem, LoadedDataset } from '../types.js';
import { describeProblem, readTextFile } from './read-text-file.js';

const PubmedRecordSchema = z.object({
  QUESTION: z.string().trim().min(1),
  CONTEXTS: z.array(z.string()).min(1),
  LABELS: z.array(z.string()).optional(),
  final_decision: z.enum(['yes', 'no', 'maybe']),
  LONG_ANSWER: z.string().optional(),
});

/** Turns one record (keyed by its PMID) into an item, or throws with the reason. */
export function pubmedqaItem(pmid: string, record: unknown): EvalItem {
  const r = PubmedRecordSchema.parse(record);
  const facts = r.CONTEXTS.filter((c) => c.trim() !== '').map((text, index) => ({
    id: (r.LABELS?.[index] ?? `context-${index + 1}`).toLowerCase().replace(/[^a-z0-9]+/g, '-') + `-${index + 1}`,
    text: text.trim().slice(0, MAX_TEXT),
  }));
  const kase = CaseSchema.parse({ id: pmid, facts, question: r.QUESTION, questionType: 'yes-no-maybe' });
  const reference = r.LONG_ANSWER?.trim() || undefined;
  return { key: pmid, case: kase, answer: r.final_decision, reference };
}

export interface PubmedqaOptions {
  /** `test`: the official 500-item split (default); `all`: every record in the file. */
  split?: 'test' | 'all';
  /** The ground-truth file naming the test split; default `test_ground_truth.json` beside the data file. */
  groundTruthPath?: string;
}

/**
 * Reads `ori_pqal.json`. A malformed record is reported (its index and PMID) and skipped.
 * @throws EvaluationError when a file is missing or is not a JSON object. O(records).
 */
export async function loadPubmedqa(path: string, options: PubmedqaOptions = {}): Promise<LoadedDataset> {
  const data = parseObject(await readTextFile(path), path);
  let keys = Object.keys(data);
  if ((options.split ?? 'test') === 'test') {
    const truthPath = options.groundTruthPath ?? join(dirname(path), 'test_ground_truth.json');
    if (!existsSync(truthPath)) {
      throw new EvaluationError(
        'ARGMED_EVAL_FILE_NOT_FOUND',
        `the PubMedQA test split needs ${truthPath} (the official test_ground_truth.json) beside the data file`,
      );
    }
    const truth = parseObject(await readTextFile(truthPath), truthPath);
    keys = Object.keys(truth);
  }
  const items: EvalItem[] = [];
  const problems: DatasetProblem[] = [];
  keys.forEach((pmid, index) => {
    try {
      if (!(pmid in data)) throw new Error(`PMID ${pmid} of the test split is not in the data file`);
      items.push(pubmedqaItem(pmid, data[pmid]));
    } catch (error) {
      problems.push({ line: index + 1, key: pmid, message: describeProblem(error) });
    }
  });
  return { items, problems, total: items.length };
}

function parseObject(text: string, path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the text around the error, which may be patient content.
    throw new EvaluationError('ARGMED_EVAL_BAD_FILE', `${path} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EvaluationError('ARGMED_EVAL_BAD_FILE', `${path} should hold one JSON object keyed by PMID`);
  }
  return value as Record<string, unknown>;
}
