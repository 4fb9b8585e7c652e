/**
 * Queries on the `case_graphs` table, one query each.
 */
import type { CaseGraphRow, NewCaseGraphRow } from './case-graphs.table.js';
import type { Db } from './database.js';

/** Stores a case's graph, replacing the graph of an earlier attempt. */
export async function upsertCaseGraph(db: Db, row: NewCaseGraphRow): Promise<void> {
  await db
    .insertInto('case_graphs')
    .values(row)
    .onConflict((conflict) =>
      conflict.column('case_id').doUpdateSet({
        graph: row.graph,
        nodes: row.nodes,
        attacks: row.attacks,
        created_at: row.created_at,
      }),
    )
    .execute();
}

/** The graph row of a case, or undefined before it finished. */
export async function findCaseGraph(db: Db, caseId: string): Promise<CaseGraphRow | undefined> {
  return db.selectFrom('case_graphs').selectAll().where('case_id', '=', caseId).executeTakeFirst();
}

/** Deletes a case's graph. @returns whether there was one. */
export async function deleteCaseGraph(db: Db, caseId: string): Promise<boolean> {
  const result = await db.deleteFrom('case_graphs').where('case_id', '=', caseId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
