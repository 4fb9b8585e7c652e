/**
 * MedQA-style multiple-choice JSONL: MedQA (USMLE), MedMCQA and MMLU-medical files all carry
 * `question`, `options` {A: text, ...} and `answer_idx` (the gold letter); `realidx` names a record
 * when present, otherwise its line number does.
 */
import { z } from 'zod';
import { CaseSchema } from '../../../agents/case.js';
import type { EvalItem, LoadedDataset } from '../types.js';
import { loadJsonlItems } from './load-jsonl-items.js';
import { splitVignette } from './split-vignette.js';

const MedqaRecordSchema = z.object({
  question: z.string().trim().min(1),
  options: z.record(z.string(), z.string().trim().min(1)).refine((o) => Object.keys(o).length >= 2, {
    message: 'needs at least two options',
  }),
  answer_idx: z.string().trim().min(1),
  realidx: z.union([z.string(), z.number()]).optional(),
});

/** Turns one parsed record into an item, or throws with the reason. */
export function medqaItem(record: unknown, line: number): EvalItem {
  const r = MedqaRecordSchema.parse(record);
  if (!(r.answer_idx in r.options)) throw new Error(`answer_idx "${r.answer_idx}" is not one of the options`);
  const { facts, question } = splitVignette(r.question);
  const key = r.realidx === undefined ? `line-${line}` : String(r.realidx);
  const kase = CaseSchema.parse({
    id: key,
    facts,
    question,
    questionType: 'choice',
    options: Object.entries(r.options).map(([id, text]) => ({ id, text })),
  });
  return { key, case: kase, answer: r.answer_idx };
}

/**
 * Reads a MedQA/MedMCQA/MMLU JSONL file. Malformed lines are reported with their line number and skipped.
 * @throws EvaluationError when the file is missing. O(lines).
 */
export function loadMedqaJsonl(path: string): Promise<LoadedDataset> {
  return loadJsonlItems(path, medqaItem, 'realidx');
}
