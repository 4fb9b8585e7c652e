/**
 * Runs the pending migrations (all of `migrations/index.ts`) and tells whether the database is current.
 * Safe to call on every start and from several processes at once: Kysely holds a lock while migrating
 * and skips what already ran.
 */
import type { Kysely, MigrationProvider, Migrator } from 'kysely';
import { kysely } from './kysely-runtime.js';
import type { Database } from './database.js';
import { migrations } from './migrations/index.js';
import { StoreError } from './store-error.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

async function migratorFor(db: Kysely<Database>): Promise<Migrator> {
  return new kysely.Migrator({
    db,
    provider,
    // Unordered: a branch that adds a migration older than one already applied (another engineer's table)
    // still gets it applied instead of failing.
    allowUnorderedMigrations: true,
    migrationTableSchema: await postgresSchema(db),
  });
}

/**
 * On PostgreSQL, the schema the connection works in. Kysely looks for its migration tables in every schema
 * unless told which one, so a database where another schema already holds them (another deployment, a
 * parallel test) would make it skip creating its own.
 */
async function postgresSchema(db: Kysely<Database>): Promise<string | undefined> {
  if (!(db.getExecutor().adapter instanceof kysely.PostgresAdapter)) return undefined;
  const { rows } = await kysely.sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}

/**
 * Applies every pending migration.
 * @returns the names of the migrations applied by this call (empty when the database was current).
 * @throws StoreError `ARGMED_STORE_UNAVAILABLE` when the database cannot be reached,
 *   `ARGMED_STORE_MIGRATION_FAILED` naming the migration that failed.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  let outcome: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    outcome = await (await migratorFor(db)).migrateToLatest();
  } catch (error) {
    throw unavailable(error);
  }
  const { error, results = [] } = outcome;
  if (error) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    if (failed === undefined && isConnectionError(error)) throw unavailable(error);
    const detail = error instanceof Error ? error.message : String(error);
    throw new StoreError(
      'ARGMED_STORE_MIGRATION_FAILED',
      `migration ${failed ?? 'setup'} failed: ${detail}`,
      {
        cause: error,
      },
    );
  }
  return results.filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

/** Node's and PostgreSQL's codes for "the server cannot be reached or refuses this login/database". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '28000',
  '28P01',
  '3D000',
  '57P03',
  'SQLITE_CANTOPEN',
]);

function errorCode(error: unknown): string | undefined {
  return error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
}

function isConnectionError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && CONNECTION_CODES.has(code);
}

function unavailable(error: unknown): StoreError {
  const detail = errorCode(error) ?? (error instanceof Error ? error.message : String(error));
  return new StoreError('ARGMED_STORE_UNAVAILABLE', `cannot reach the database (${detail})`, {
    cause: error,
  });
}

/**
 * Names of the known migrations not yet applied (empty when current).
 * @throws when the database cannot be reached.
 */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const all = await (await migratorFor(db)).getMigrations();
  return all.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}
