/**
 * The database as Kysely sees it: every table of argmed's store. A new table adds its `*.table.ts`, a line
 * here and a migration under `migrations/`.
 */
import type { Kysely } from 'kysely';
import type { CaseEventsTable } from './case-events.table.js';
import type { CaseFeedbackTable } from './case-feedback.table.js';
import type { CaseGraphsTable } from './case-graphs.table.js';
import type { CaseRevisionsTable } from './case-revisions.table.js';
import type { CasesTable } from './cases.table.js';
import type { EvalItemsTable } from './eval-items.table.js';
import type { EvalRatingsTable } from './eval-ratings.table.js';
import type { EvalRunsTable } from './eval-runs.table.js';
import type { LlmCallsTable } from './llm-calls.table.js';

export interface Database {
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_graphs: CaseGraphsTable;
  llm_calls: LlmCallsTable;
  case_feedback: CaseFeedbackTable;
  case_revisions: CaseRevisionsTable;
  eval_runs: EvalRunsTable;
  eval_items: EvalItemsTable;
  eval_ratings: EvalRatingsTable;
}

/** A connection (or a transaction) to argmed's database. */
export type Db = Kysely<Database>;

/** Which SQL dialect a store speaks. */
export type Dialect = 'sqlite' | 'postgres';
