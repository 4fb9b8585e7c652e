/**
 * Prepares a run: loads and slices its dataset, derives its id, and creates its row unless it exists.
 * With `resume`, the spec comes from the stored run (the command line's other flags are ignored).
 */
import { resolve } from 'node:path';
import type { Db } from '../../store/database.js';
import { loadDataset } from '../datasets/load-dataset.js';
import { EvaluationError } from '../errors.js';
import { type DatasetProblem, type EvalItem, type RunSpec, type RunSpecInput, RunSpecSchema } from '../types.js';
import { findRun, insertRunIfAbsent } from '../../store/eval-runs.repository.js';
import { runIdOf } from './run-id.js';

export interface PreparedRun {
  runId: string;
  spec: RunSpec;
  items: EvalItem[];
  problems: DatasetProblem[];
  /** Items × methods. */
  total: number;
  /** True when the run existed already (a resume). */
  resumed: boolean;
}

/**
 * @param input the spec (ignored with `resume`)
 * @param resume the id of a stored run to continue
 * @throws EvaluationError `ARGMED_EVAL_RUN_NOT_FOUND` for an unknown resume id; dataset errors.
 */
export async function prepareRun(db: Db, input: RunSpecInput | undefined, resume?: string): Promise<PreparedRun> {
  const edb = db;
  let spec: RunSpec;
  if (resume !== undefined) {
    const row = await findRun(edb, resume);
    if (!row) throw new EvaluationError('ARGMED_EVAL_RUN_NOT_FOUND', `no evaluation run "${resume}" in this database`);
    spec = RunSpecSchema.parse(JSON.parse(row.spec));
  } else {
    if (!input) throw new EvaluationError('ARGMED_EVAL_BAD_OPTION', 'give a dataset and a file, or --resume RUN_ID');
    spec = RunSpecSchema.parse({ ...input, file: resolve(input.file) });
  }
  const data = await loadDataset(spec.dataset, spec.file, spec.slice);
  const runId = resume ?? runIdOf(spec);
  const total = data.items.length * spec.methods.length;
  const created = await insertRunIfAbsent(edb, { id: runId, spec, total, problems: data.problems });
  return { runId, spec, items: data.items, problems: data.problems, total, resumed: !created };
}
