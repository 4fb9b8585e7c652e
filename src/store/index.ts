/** The store: argmed's database (SQLite or PostgreSQL through Kysely), its migrations and queries. */
export * from './call-log-cache.js';
export * from './case-events.repository.js';
export type * from './case-events.table.js';
export * from './case-feedback.repository.js';
export type * from './case-feedback.table.js';
export * from './case-graphs.repository.js';
export type * from './case-graphs.table.js';
export * from './cases.repository.js';
export type * from './cases.table.js';
export * from './create-database.js';
export type * from './database.js';
export * from './is-ready.js';
export type * from './llm-calls.table.js';
export * from './llm-calls.repository.js';
export * from './migrate-to-latest.js';
export * from './open-store.js';
export * from './sqlite-checkpointer.js';
export * from './store-error.js';
