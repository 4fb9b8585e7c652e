/**
 * Readiness of the store for `/readyz`: the database answers and every migration has run.
 */
import type { Kysely } from 'kysely';
import { kysely } from './kysely-runtime.js';
import type { Database } from './database.js';
import { pendingMigrations } from './migrate-to-latest.js';

export interface Readiness {
  ready: boolean;
  /** Why not, for the operator (no patient content): `database unreachable (...)` or the pending migrations. */
  reason?: string;
}

/**
 * Checks the database with `select 1` and the migration table. Never throws.
 * Cost: two small queries.
 */
export async function isReady(db: Kysely<Database>): Promise<Readiness> {
  try {
    await kysely.sql`select 1`.execute(db);
  } catch (error) {
    return { ready: false, reason: `database unreachable (${describe(error)})` };
  }
  try {
    const pending = await pendingMigrations(db);
    if (pending.length > 0) return { ready: false, reason: `migrations pending: ${pending.join(', ')}` };
  } catch (error) {
    return { ready: false, reason: `cannot read migrations (${describe(error)})` };
  }
  return { ready: true };
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && error.code) return String(error.code);
  return error instanceof Error ? error.message : String(error);
}
