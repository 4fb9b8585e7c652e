/**
 * Migration 2026-12-03 23:30: clinicians' ratings of evaluation items. One row a rater a rated unit (run,
 * item, method): four Likert ratings 1–5 (correctness, completeness, clarity, trust) and a comment. Rating
 * again replaces the rater's row. No foreign key to eval_items: ratings imported from elsewhere may name
 * items before their results are stored. Frozen: it imports nothing of the application.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('eval_ratings')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('item_key', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('rater', 'text', (c) => c.notNull())
    .addColumn('correctness', 'integer', (c) => c.notNull())
    .addColumn('completeness', 'integer', (c) => c.notNull())
    .addColumn('clarity', 'integer', (c) => c.notNull())
    .addColumn('trust', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('rated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('eval_ratings_pk', ['run_id', 'item_key', 'method', 'rater'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('eval_ratings').execute();
}
