/**
 * Builds a Kysely instance from a database URL: `sqlite:PATH` (better-sqlite3, WAL journal, busy timeout,
 * foreign keys on; the parent folder is created) or `postgres://...` / `postgresql://...` (a pg Pool).
 * For PostgreSQL an optional schema isolates one user of a shared database (tests, several deployments):
 * it is created when missing and put first on every connection's search_path.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { DialectAdapter, Kysely } from 'kysely';
import { kysely } from './kysely-runtime.js';
import type { Database, Dialect } from './database.js';
import { startSqliteCheckpointer } from './sqlite-checkpointer.js';
import { withStatementCache } from './sqlite-statement-cache.js';
import { StoreError } from './store-error.js';

export interface CreateDatabaseOptions {
  /** PostgreSQL only: the schema to work in (created if missing). Letters, digits and `_` only. */
  schema?: string;
  /** PostgreSQL only: connections in the pool (default 10). */
  poolSize?: number;
  /** SQLite: how long a writer waits for a lock held by another process (default 5000 ms). */
  busyTimeoutMs?: number;
}

export interface CreatedDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Releases what the database needs besides its connections (SQLite's checkpoint worker); call after `db.destroy()`. */
  dispose(): Promise<void>;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Opens a database for a URL.
 * @param url `sqlite:PATH` (`sqlite::memory:` for an in-memory database) or `postgres://...`.
 * @throws StoreError `ARGMED_STORE_BAD_URL` for another scheme or a bad schema name,
 *   `ARGMED_STORE_UNAVAILABLE` when the SQLite file cannot be opened or the PostgreSQL schema created.
 */
export async function createDatabase(
  url: string,
  options: CreateDatabaseOptions = {},
): Promise<CreatedDatabase> {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePath(url);
    const db = openSqlite(path, options);
    const checkpointer = path === ':memory:' ? undefined : startSqliteCheckpointer(path);
    return { db, dialect: 'sqlite', dispose: async () => checkpointer?.stop() };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    return { db: await openPostgres(url, options), dialect: 'postgres', dispose: async () => {} };
  }
  throw new StoreError('ARGMED_STORE_BAD_URL', 'DATABASE_URL must be sqlite:PATH or postgres://...');
}

/** `sqlite:./data/x.db`, `sqlite:///abs/x.db` and `sqlite::memory:` to a path for better-sqlite3. */
export function sqlitePath(url: string): string {
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('//')) path = path.slice(2);
  if (path === '') throw new StoreError('ARGMED_STORE_BAD_URL', 'DATABASE_URL sqlite: needs a file path');
  return path;
}

function openSqlite(path: string, options: CreateDatabaseOptions): Kysely<Database> {
  const inMemory = path === ':memory:';
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    const database = new SqliteDatabase(path);
    // WAL lets readers (another process streaming events) proceed while one writer writes.
    if (!inMemory) database.pragma('journal_mode = WAL');
    // Checkpoints run in a worker (sqlite-checkpointer.ts); this threshold is only the safety net.
    if (!inMemory) database.pragma('wal_autocheckpoint = 20000');
    database.pragma('synchronous = NORMAL');
    database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    database.pragma('foreign_keys = ON');
    return new kysely.Kysely<Database>({
      dialect: new LockingSqliteDialect({ database: withStatementCache(database) }),
    });
  } catch (error) {
    throw new StoreError(
      'ARGMED_STORE_UNAVAILABLE',
      `cannot open the SQLite database (${errorCode(error)})`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Kysely's SQLite adapter takes no migration lock (it assumes one connection), but two processes (the API
 * and a worker) may start on the same file at once. This one holds SQLite's write lock (`begin immediate`,
 * which waits up to the busy timeout) from the migrator's state read to its end, so the second process
 * sees the first one's migrations as done.
 */
class LockingSqliteAdapter extends kysely.SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await kysely.sql`begin immediate`.execute(db);
  }

  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    // When acquiring failed (busy past the timeout) there is no transaction; the acquire error is the one
    // worth reporting.
    await kysely.sql`commit`.execute(db).catch(() => {});
  }
}

class LockingSqliteDialect extends kysely.SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new LockingSqliteAdapter();
  }
}

/** The pg driver, imported when PostgreSQL is used: a SQLite process (`argmed serve` by default) never loads it. */
async function loadPg() {
  return (await import('pg')).default;
}

async function openPostgres(url: string, options: CreateDatabaseOptions): Promise<Kysely<Database>> {
  const { schema } = options;
  const pg = await loadPg();
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new StoreError('ARGMED_STORE_BAD_URL', `bad PostgreSQL schema name "${schema}"`);
  }
  if (schema !== undefined) await createSchema(url, schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // A server that does not answer (a host gone, not refusing) fails a request in 5 s instead of holding it.
    connectionTimeoutMillis: 5_000,
    // The schema name was checked against SCHEMA_NAME, so it needs no quoting beyond this.
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // A client that loses its server must not crash the process: an idle one reports to the pool, and a checked-out
  // one (the pool removes its listener then) would emit 'error' with no listener, an uncaught exception that
  // stopped the service when PostgreSQL restarted mid-query. The query itself still fails with the error.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new kysely.Kysely<Database>({ dialect: new kysely.PostgresDialect({ pool }) });
}

async function createSchema(url: string, schema: string): Promise<void> {
  const pg = await loadPg();
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    throw new StoreError(
      'ARGMED_STORE_UNAVAILABLE',
      `cannot create PostgreSQL schema (${errorCode(error)})`,
      {
        cause: error,
      },
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops a PostgreSQL schema and everything in it (tests clean up with this). */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema))
    throw new StoreError('ARGMED_STORE_BAD_URL', `bad PostgreSQL schema name "${schema}"`);
  const pg = await loadPg();
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end().catch(() => {});
  }
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return String(error.code);
  return error instanceof Error ? error.message : String(error);
}
