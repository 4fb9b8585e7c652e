/**
 * Migration 2026-12-03 22:30: the revisions of a case's argument graph (contested cases). One row a revision,
 * numbered 1, 2, 3 ... per case; the primary key (case_id, revision) is what makes two contributions based on
 * the same revision conflict: the second insert fails and nothing of the first is lost. Each row carries the
 * hash of its content and of the previous revision's hash (a chain). `subject` names the patient and order a
 * CDS Hooks override was about, so the next hook call for them finds it. Frozen: it imports nothing of the
 * application. JSON is stored as text.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: a migration works on the schema as it was, not on today's types.
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('case_revisions')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('graph', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('labels_before', 'text', (c) => c.notNull())
    .addColumn('labels_after', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('previous_hash', 'text')
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_revisions_pk', ['case_id', 'revision'])
    .execute();
  await db.schema
    .createIndex('case_revisions_subject_idx')
    .on('case_revisions')
    .columns(['subject', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('case_revisions').execute();
}
