/**
 * Kysely's SQLite driver calls `prepare` for every query, so SQLite parses and plans the same text again
 * each time: about a third of the store's CPU for a case (15 statements). This wrapper of the
 * better-sqlite3 database keeps the prepared statements by their SQL text. Reusing one is safe because
 * kysely runs one query at a time on its single connection (a streamed select holds it until done).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * The database for kysely's SqliteDialect, with a cache of at most `max` statements (the oldest goes
 * first: multi-row inserts make a new text for each row count).
 */
export function withStatementCache(database: BetterSqlite3.Database, max = 200): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        if (statements.size >= max) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => database.close(),
  };
}
