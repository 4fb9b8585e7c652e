/**
 * Queries on the `case_revisions` table, one query each. Rows are inserted, never updated.
 */
import type { CaseRevisionRow, NewCaseRevisionRow } from './case-revisions.table.js';
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
