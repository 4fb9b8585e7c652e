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

/**
 * Stored answers for several prompt hashes at once (one query): hash → answer, for the hashes that have
 * one. Cost: one index lookup per hash.
 */
export async function findCachedAnswers(db: Db, promptHashes: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (promptHashes.length === 0) return found;
  const rows = await db
    .selectFrom('llm_calls')
    .select(['prompt_hash', 'answer'])
    .where('prompt_hash', 'in', [...new Set(promptHashes)])
    .where('answer', 'is not', null)
    .execute();
  for (const row of rows) if (row.answer !== null && !found.has(row.prompt_hash)) found.set(row.prompt_hash, row.answer);
  return found;
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
