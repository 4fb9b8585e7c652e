/**
 * A digest of everything a store holds (every table of the current schema, every row), so a test can say
 * "nothing stored changed" after a refused request without knowing which tables exist today.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../../../src/store/open-store.js';

/** SHA-256 over every table's name and its rows (sorted), with the row count of each table. */
export async function storeSnapshot(store: Store): Promise<{ digest: string; rows: Record<string, number> }> {
  const schema =
    store.dialect === 'postgres'
      ? (await sql<{ name: string }>`select current_schema() as name`.execute(store.db)).rows[0].name
      : undefined;
  const tables = (await store.db.introspection.getTables())
    .filter((table) => !table.isView && (schema === undefined || table.schema === schema))
    .map((table) => table.name)
    .sort();
  const hash = createHash('sha256');
  const rows: Record<string, number> = {};
  for (const table of tables) {
    const result = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db);
    const lines = result.rows
      .map((row) => JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? String(value) : value)))
      .sort();
    rows[table] = lines.length;
    hash.update(`${table}\n${lines.join('\n')}\n`);
  }
  return { digest: hash.digest('hex'), rows };
}
