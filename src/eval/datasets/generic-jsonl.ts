/**
 * The generic JSONL format for users' own cases: one JSON object a line, a case as `POST /v1/cases`
 * accepts it (CaseSchema: facts, question, questionType, options, ...) plus `answer` (the gold option id,
 * or yes/no/maybe) and an optional `reference` (a reference explanation, compared by ROUGE-L / token F1).
 * `id` names the item; without it the line number does. Documented in docs/evaluation.md.
 */
import { z } from 'zod';
import { CaseSchema, candidateOptions } from '../../../agents/case.js';
import type { EvalItem, LoadedDataset } from '../types.js';
import { loadJsonlItems } from './load-jsonl-items.js';

const ExtraSchema = z.object({
  answer: z.string().trim().min(1, 'the gold answer is required'),
  reference: z.string().trim().min(1).optional(),
});

/** Turns one parsed record into an item, or throws with the reason. */
export function genericItem(record: unknown, line: number): EvalItem {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw new Error('not a JSON object');
  const { answer, reference, ...rest } = record as Record<string, unknown>;
  const extra = ExtraSchema.parse({ answer, reference });
  const kase = CaseSchema.parse(rest);
  const options = candidateOptions(kase);
  if (!options) throw new Error('options: a gradable case needs options (or questionType "yes-no-maybe")');
  if (!options.some((o) => o.id === extra.answer)) {
    throw new Error(`answer: "${extra.answer}" is not one of the option ids (${options.map((o) => o.id).join(', ')})`);
  }
  const key = kase.id ?? `line-${line}`;
  return { key, case: { ...kase, id: key }, answer: extra.answer, reference: extra.reference };
}

/**
 * Reads a generic JSONL file. Malformed lines are reported with their line number and skipped.
 * @throws EvaluationError when the file is missing. O(lines).
 */
export function loadGenericJsonl(path: string): Promise<LoadedDataset> {
  return loadJsonlItems(path, genericItem, 'id');
}
