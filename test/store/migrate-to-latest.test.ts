import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase, sqlitePath } from '../../src/store/create-database.js';
import { isReady } from '../../src/store/is-ready.js';
import { migrateToLatest, pendingMigrations } from '../../src/store/migrate-to-latest.js';
import { migrations } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/open-store.js';
import { StoreError } from '../../src/store/store-error.js';
import { DIALECTS, openTestStore, type TestStore } from './test-stores.js';

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('applies every migration once, then nothing (idempotent)', async () => {
    store = await openTestStore(dialect, false);
    expect(await pendingMigrations(store.db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(store.db)).toEqual(Object.keys(migrations));
    expect(await migrateToLatest(store.db)).toEqual([]);
    expect(await pendingMigrations(store.db)).toEqual([]);
  });

  it('a second connection finds the migrations done', async () => {
    store = await openTestStore(dialect, false);
    const other = await store.reopen();
    try {
      expect(await migrateToLatest(store.db)).toEqual(Object.keys(migrations));
      expect(await migrateToLatest(other.db)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  // better-sqlite3 waits for a lock synchronously, so two SQLite connections in one thread cannot wait for
  // each other; across processes the adapter's `begin immediate` serialises them.
  it.runIf(dialect === 'postgres')('two concurrent migrators leave one consistent schema', async () => {
    store = await openTestStore(dialect, false);
    const other = await store.reopen();
    try {
      const [a, b] = await Promise.all([migrateToLatest(store.db), migrateToLatest(other.db)]);
      expect([...a, ...b].sort()).toEqual(Object.keys(migrations).sort());
    } finally {
      await other.close();
    }
  });

  it('creates the tables the store uses', async () => {
    store = await openTestStore(dialect);
    const tables = (await store.db.introspection.getTables()).map((table) => table.name);
    expect(tables).toEqual(
      expect.arrayContaining(['cases', 'case_events', 'case_graphs', 'case_feedback', 'llm_calls']),
    );
  });

  it('isReady: not before migrating, ready after', async () => {
    store = await openTestStore(dialect, false);
    const before = await isReady(store.db);
    expect(before.ready).toBe(false);
    expect(before.reason).toMatch(/migrations pending/);
    await migrateToLatest(store.db);
    expect(await isReady(store.db)).toEqual({ ready: true });
  });
});

describe('openStore with a PostgreSQL schema', () => {
  it('works inside its own schema and drops it on close when asked', async () => {
    const store = await openTestStore('postgres');
    const schemaExists = async () => {
      const { rows } = await sql<{ n: number | string }>`
        select count(*) as n from pg_namespace where nspname = ${store.schema!}`.execute(store.db);
      return Number(rows[0]?.n);
    };
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db);
    expect(rows[0]?.schema).toBe(store.schema);
    expect(await schemaExists()).toBe(1);
    const observer = await openStore({ databaseUrl: store.url });
    try {
      await store.close();
      const left = await sql<{ n: number | string }>`
        select count(*) as n from pg_namespace where nspname = ${store.schema!}`.execute(observer.db);
      expect(Number(left.rows[0]?.n)).toBe(0);
    } finally {
      await observer.close();
    }
  });
});

describe('migrateToLatest without a database', () => {
  it('says the database cannot be reached, with the cause code', async () => {
    const { db } = await createDatabase('postgres://root@127.0.0.1:1/none');
    try {
      await expect(migrateToLatest(db)).rejects.toMatchObject({
        code: 'ARGMED_STORE_UNAVAILABLE',
        message: 'argmed/store: cannot reach the database (ECONNREFUSED)',
      });
    } finally {
      await db.destroy();
    }
  });
});

describe('isReady without a database', () => {
  it('reports an unreachable PostgreSQL instead of throwing', async () => {
    const { db } = await createDatabase('postgres://root@127.0.0.1:1/none');
    try {
      const readiness = await isReady(db);
      expect(readiness.ready).toBe(false);
      expect(readiness.reason).toMatch(/^database unreachable \(ECONNREFUSED\)/);
    } finally {
      await db.destroy();
    }
  });
});

describe('createDatabase', () => {
  it('refuses a URL that is neither sqlite: nor postgres://', async () => {
    await expect(createDatabase('mysql://x')).rejects.toMatchObject({ code: 'ARGMED_STORE_BAD_URL' });
    await expect(createDatabase('sqlite:')).rejects.toBeInstanceOf(StoreError);
  });

  it('refuses a PostgreSQL schema name that would need quoting', async () => {
    await expect(
      createDatabase('postgres://root@127.0.0.1:5432/test', { schema: 'x"; drop' }),
    ).rejects.toMatchObject({
      code: 'ARGMED_STORE_BAD_URL',
    });
  });

  it('reads sqlite: paths in their three spellings', () => {
    expect(sqlitePath('sqlite:./data/argmed.db')).toBe('./data/argmed.db');
    expect(sqlitePath('sqlite:///var/lib/argmed.db')).toBe('/var/lib/argmed.db');
    expect(sqlitePath('sqlite::memory:')).toBe(':memory:');
  });

  it('SQLite: creates the parent folder, uses WAL and enforces foreign keys', async () => {
    const store = await openTestStore('sqlite');
    try {
      expect(existsSync(store.url.slice('sqlite:'.length))).toBe(true);
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
      expect(keys.rows[0]?.foreign_keys).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('SQLite in memory works for throwaway runs', async () => {
    const { db } = await createDatabase('sqlite::memory:');
    try {
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
      expect(await isReady(db)).toEqual({ ready: true });
    } finally {
      await db.destroy();
    }
  });
});
