/**
 * Opens argmed's store from the configuration: the database named by `DATABASE_URL`, the dialect it
 * speaks, and a `close` that releases it. Migrations are a separate step (`migrateToLatest`), run at start.
 *
 * @example
 *   const store = await openStore(config);
 *   await migrateToLatest(store.db);
 *   ...
 *   await store.close();
 */
import type { Config } from '../config.js';
import { type CreateDatabaseOptions, createDatabase, dropPostgresSchema } from './create-database.js';
import type { Db, Dialect } from './database.js';

export interface Store {
  db: Db;
  dialect: Dialect;
  /** Closes the connections (and, with `dropSchemaOnClose`, drops the PostgreSQL schema). Idempotent. */
  close(): Promise<void>;
}

export interface OpenStoreOptions extends CreateDatabaseOptions {
  /** PostgreSQL with `schema`: drop the schema on close (test isolation). */
  dropSchemaOnClose?: boolean;
}

/**
 * Opens the store for `config.databaseUrl`.
 * @throws StoreError `ARGMED_STORE_BAD_URL` or `ARGMED_STORE_UNAVAILABLE`.
 */
export async function openStore(
  config: Pick<Config, 'databaseUrl'>,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const { db, dialect, dispose } = await createDatabase(config.databaseUrl, options);
  let closing: Promise<void> | undefined;
  async function closeStore(): Promise<void> {
    await db.destroy();
    await dispose();
    if (dialect === 'postgres' && options.schema !== undefined && options.dropSchemaOnClose) {
      await dropPostgresSchema(config.databaseUrl, options.schema);
    }
  }
  return {
    db,
    dialect,
    close: () => {
      closing ??= closeStore();
      return closing;
    },
  };
}
