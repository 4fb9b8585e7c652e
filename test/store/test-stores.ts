/**
 * Opens an isolated, migrated store for a test file, on SQLite (a temp file) or on the PostgreSQL of the
 * machine (`DATABASE_URL`, default `postgres://root@127.0.0.1:5432/test`) in a fresh schema dropped on
 * close. Test files run in parallel; each gets its own database or schema.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest } from '../../src/store/migrate-to-latest.js';
import { openStore, type Store } from '../../src/store/open-store.js';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

/** The PostgreSQL the tests use. */
export const POSTGRES_URL = process.env.DATABASE_URL?.startsWith('postgres')
  ? process.env.DATABASE_URL
  : 'postgres://root@127.0.0.1:5432/test';

export interface TestStore extends Store {
  /** The URL and options that reopen the same database (a second "process"). */
  url: string;
  schema?: string;
  /** Opens another connection to the same database (without migrating). */
  reopen(): Promise<Store>;
}

/**
 * Opens a store for one test file or test.
 * @param migrate run the migrations (default true).
 */
export async function openTestStore(dialect: TestDialect, migrate = true): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'argmed-store-'));
    const url = `sqlite:${join(dir, 'nested', 'argmed.db')}`;
    const store = await openStore({ databaseUrl: url });
    if (migrate) await migrateToLatest(store.db);
    return {
      ...store,
      url,
      reopen: () => openStore({ databaseUrl: url }),
      close: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomUUID().replaceAll('-', '')}`;
  const store = await openStore(
    { databaseUrl: POSTGRES_URL },
    { schema, dropSchemaOnClose: true, poolSize: 4 },
  );
  if (migrate) await migrateToLatest(store.db);
  return {
    ...store,
    url: POSTGRES_URL,
    schema,
    reopen: () => openStore({ databaseUrl: POSTGRES_URL }, { schema, poolSize: 2 }),
  };
}
