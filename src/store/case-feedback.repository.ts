/**
 * Queries on the `case_feedback` table, one query each.
 */
import type { CaseFeedbackRow, NewCaseFeedbackRow } from './case-feedback.table.js';
import type { Db } from './database.js';

/** Stores one piece of feedback. Fails (foreign key) when the case does not exist. */
export async function insertCaseFeedback(db: Db, row: NewCaseFeedbackRow): Promise<void> {
  await db.insertInto('case_feedback').values(row).execute();
}

/** A case's feedback, oldest first (rows stored in the same millisecond fall back on the feedback's own time). */
export async function listCaseFeedback(db: Db, caseId: string): Promise<CaseFeedbackRow[]> {
  return db
    .selectFrom('case_feedback')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Deletes a case's feedback. @returns how many rows. */
export async function deleteCaseFeedback(db: Db, caseId: string): Promise<number> {
  const result = await db.deleteFrom('case_feedback').where('case_id', '=', caseId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
