/**
 * Migration 2026-11-25 14:00: evaluation runs and their item results (src/eval). One row an item × method,
 * unique on (run_id, item_key, method), so a result written twice (a retried job, a resumed run) is
 * written once. Frozen: it imports nothing of the application. JSON is stored as text.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('eval_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('problems', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createTable('eval_items')
    .addColumn('run_id', 'text', (c) => c.notNull().references('eval_runs.id').onDelete('cascade'))
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('gold', 'text', (c) => c.notNull())
    .addColumn('predicted', 'text')
    .addColumn('correct', 'integer', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull())
    .addColumn('tokens_in', 'integer', (c) => c.notNull())
    .addColumn('tokens_out', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('case_id', 'text')
    .addColumn('outcome', 'text')
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('eval_items_pk', ['run_id', 'item_key', 'method'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('eval_items').execute();
  await db.schema.dropTable('eval_runs').execute();
}
