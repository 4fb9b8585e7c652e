/**
 * Queries on the `llm_calls` table (the call log and the persistent answer cache), one query each.
 */
import type { Db } from './database.js';
import type { LlmCallRow, NewLlmCallRow } from './llm-calls.table.js';

/** Inserts call-log rows (one multi-row insert). */
export async function insertLlmCalls(db: Db, rows: readonly NewLlmCallRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('llm_calls').values(rows).execute();
}

/**
 * A stored answer for a prompt hash, or undefined. Any row with an answer serves: the hash covers the
 * prompt, the model and the settings, so equal hashes ask the same thing. Cost: one index lookup.
 */
export async function findCachedAnswer(db: Db, promptHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('llm_calls')
    .select('answer')
    .where('prompt_hash', '=', promptHash)
    .where('answer', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row?.answer ?? undefined;
}

/** The call log of a case, oldest first. */
export async function listLlmCallsOfCase(db: Db, caseId: string): Promise<LlmCallRow[]> {
  return db.selectFrom('llm_calls').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
}

/** Deletes a case's call-log rows (and so the cache entries it paid for). @returns how many. */
export async function deleteLlmCallsOfCase(db: Db, caseId: string): Promise<number> {
  const result = await db.deleteFrom('llm_calls').where('case_id', '=', caseId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
