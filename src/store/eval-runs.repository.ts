/**
 * Queries on `eval_runs`: plain async functions taking the database first, one query each. The run's spec
 * and dataset problems are stored as JSON; eval/ owns their schemas.
 */
import type { Db } from './database.js';
import type { EvalRunRow } from './eval-runs.table.js';

/** Creates the run row unless it exists. @returns true when this call created it. */
export async function insertRunIfAbsent(
  db: Db,
  run: { id: string; spec: object; total: number; problems: readonly object[] },
  now = new Date().toISOString(),
): Promise<boolean> {
  const result = await db
    .insertInto('eval_runs')
    .values({
      id: run.id,
      spec: JSON.stringify(run.spec),
      status: 'running',
      total: run.total,
      problems: JSON.stringify(run.problems),
      created_at: now,
      updated_at: now,
      finished_at: null,
    })
    .onConflict((c) => c.column('id').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The run with this id, or undefined. */
export async function findRun(db: Db, id: string): Promise<EvalRunRow | undefined> {
  return db.selectFrom('eval_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Sets a run's status (and its end time for `done`/`failed`; cleared for `running`). */
export async function setRunStatus(
  db: Db,
  id: string,
  status: 'running' | 'done' | 'failed',
  now = new Date().toISOString(),
): Promise<void> {
  await db
    .updateTable('eval_runs')
    .set({ status, updated_at: now, finished_at: status === 'running' ? null : now })
    .where('id', '=', id)
    .execute();
}

/** Runs, newest first. */
export async function listRuns(db: Db, limit = 50): Promise<EvalRunRow[]> {
  return db.selectFrom('eval_runs').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}
