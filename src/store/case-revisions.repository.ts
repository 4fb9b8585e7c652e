/**
 * Queries on the `case_revisions` table, one query each. Rows are inserted, never updated.
 */
import type { CaseGraphRow } from './case-graphs.table.js';
import type { CaseRevisionRow, NewCaseRevisionRow } from './case-revisions.table.js';
import type { CaseRow } from './cases.table.js';
import type { Db } from './database.js';

/**
 * Inserts a revision unless its number is taken. @returns false when another revision with this number
 * exists (a concurrent contribution based on the same revision won).
 */
export async function insertCaseRevision(db: Db, row: NewCaseRevisionRow): Promise<boolean> {
  const result = await db
    .insertInto('case_revisions')
    .values(row)
    .onConflict((conflict) => conflict.columns(['case_id', 'revision']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Every revision of a case, oldest first. */
export async function listCaseRevisions(db: Db, caseId: string): Promise<CaseRevisionRow[]> {
  return db
    .selectFrom('case_revisions')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('revision')
    .execute();
}

/** One revision of a case, or undefined. */
export async function findCaseRevision(
  db: Db,
  caseId: string,
  revision: number,
): Promise<CaseRevisionRow | undefined> {
  return db
    .selectFrom('case_revisions')
    .selectAll()
    .where('case_id', '=', caseId)
    .where('revision', '=', revision)
    .executeTakeFirst();
}

/** The latest revision of a case, or undefined when it has none stored. */
export async function latestCaseRevision(db: Db, caseId: string): Promise<CaseRevisionRow | undefined> {
  return db
    .selectFrom('case_revisions')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The newest revision made about a subject (a CDS Hooks patient and order), or undefined. */
export async function latestRevisionOfSubject(db: Db, subject: string): Promise<CaseRevisionRow | undefined> {
  return db
    .selectFrom('case_revisions')
    .selectAll()
    .where('subject', '=', subject)
    .orderBy('created_at', 'desc')
    .orderBy('revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Deletes a case's revisions. @returns how many rows. */
export async function deleteCaseRevisions(db: Db, caseId: string): Promise<number> {
  const result = await db.deleteFrom('case_revisions').where('case_id', '=', caseId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Finished cases (with a result and a graph, in one of `statuses`) that have no revision stored: those a
 * version before revisions were stored with the result left behind. Oldest first, at most `limit`.
 */
export async function casesWithoutRevisions(
  db: Db,
  statuses: readonly string[],
  limit: number,
): Promise<Array<{ row: CaseRow; graph: CaseGraphRow }>> {
  const rows = await db
    .selectFrom('cases')
    .innerJoin('case_graphs', 'case_graphs.case_id', 'cases.id')
    .selectAll('cases')
    .select(['case_graphs.graph as graph_json', 'case_graphs.nodes as graph_nodes', 'case_graphs.attacks as graph_attacks', 'case_graphs.created_at as graph_created_at'])
    .where('cases.status', 'in', [...statuses])
    .where('cases.result', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('case_revisions').select('case_revisions.case_id').whereRef('case_revisions.case_id', '=', 'cases.id'))),
    )
    .orderBy('cases.created_at')
    .limit(limit)
    .execute();
  return rows.map(({ graph_json, graph_nodes, graph_attacks, graph_created_at, ...row }) => ({
    row,
    graph: { case_id: row.id, graph: graph_json, nodes: graph_nodes, attacks: graph_attacks, created_at: graph_created_at },
  }));
}
