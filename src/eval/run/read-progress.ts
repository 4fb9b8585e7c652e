/**
 * The progress of a run from its stored results (one grouped query, no JSON read): what the progress bar
 * starts from, what a queue coordinator polls and what `GET /v1/evaluations/:id` answers.
 */
import type { Db } from '../../store/database.js';
import type { RunProgress } from '../types.js';
import { countItemResults } from '../../store/eval-items.repository.js';
import { findRun } from '../../store/eval-runs.repository.js';

/**
 * @param total the run's item × method count (read from the run row when absent)
 * @param status the run's status when the caller knows it (a coordinator polling its own run): the run
 *   row is then not read, one query instead of two a poll
 */
export async function readProgress(
  db: Db,
  runId: string,
  total?: number,
  status?: RunProgress['status'],
): Promise<RunProgress> {
  const edb = db;
  const run = status !== undefined && total !== undefined ? undefined : await findRun(edb, runId);
  const progress: RunProgress = {
    runId,
    status: status ?? (run?.status as RunProgress['status']) ?? 'running',
    total: total ?? run?.total ?? 0,
    done: 0,
    failed: 0,
    correct: 0,
    tokensIn: 0,
    tokensOut: 0,
    perMethod: {},
  };
  for (const row of await countItemResults(edb, runId)) {
    progress.perMethod[row.method] ??= { done: 0, failed: 0, correct: 0 };
    const m = progress.perMethod[row.method];
    if (row.status === 'done') {
      progress.done += row.n;
      m.done += row.n;
    } else {
      progress.failed += row.n;
      m.failed += row.n;
    }
    progress.correct += row.correct;
    m.correct += row.correct;
    progress.tokensIn += row.tokensIn;
    progress.tokensOut += row.tokensOut;
  }
  return progress;
}
