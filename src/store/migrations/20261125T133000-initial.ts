/**
 * Migration 2026-11-25 13:30: cases, their events, graphs and feedback, and the LLM call log.
 * Frozen: it imports nothing of the application, so later changes of the code cannot change what it does.
 * Only types both SQLite and PostgreSQL understand (text, integer); JSON is stored as text.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('settings', 'text')
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    .addColumn('title', 'text')
    .addColumn('decision', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.unique())
    .addColumn('body_hash', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('owner', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('cases_created_idx').on('cases').columns(['created_at', 'id']).execute();
  await db.schema
    .createIndex('cases_status_created_idx')
    .on('cases')
    .columns(['status', 'created_at'])
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_events_pk', ['case_id', 'seq'])
    .execute();

  await db.schema
    .createTable('case_graphs')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id').onDelete('cascade'))
    .addColumn('graph', 'text', (c) => c.notNull())
    .addColumn('nodes', 'integer', (c) => c.notNull())
    .addColumn('attacks', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_feedback')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('override_reason', 'text')
    .addColumn('card', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_feedback_case_idx').on('case_feedback').column('case_id').execute();

  // No foreign key on case_id: calls outside a case (evaluation) have none, and the log outlives nothing
  // by accident because deleting a case deletes its rows explicitly.
  await db.schema
    .createTable('llm_calls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('prompt_hash', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('tokens_in', 'integer', (c) => c.notNull())
    .addColumn('tokens_out', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('cached', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('answer', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('llm_calls_prompt_hash_idx').on('llm_calls').column('prompt_hash').execute();
  await db.schema.createIndex('llm_calls_case_idx').on('llm_calls').column('case_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('llm_calls').execute();
  await db.schema.dropTable('case_feedback').execute();
  await db.schema.dropTable('case_graphs').execute();
  await db.schema.dropTable('case_events').execute();
  await db.schema.dropTable('cases').execute();
}
