/**
 * The evaluation tables as Kysely sees them (created by migration `20261125T140000-evaluations`), and the
 * database type the evaluation layer works with: the store's tables plus these two.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database } from '../../store/database.js';

export interface EvalRunsTable {
  id: string;
  /** The run spec (JSON, `RunSpecSchema`). */
  spec: string;
  /** `running`, `done` or `failed`. */
  status: string;
  /** Item × method pairs the run has to finish. */
  total: number;
  /** Malformed dataset records that were skipped (JSON `DatasetProblem[]`). */
  problems: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface EvalItemsTable {
  run_id: string;
  item_key: string;
  method: string;
  /** `done` or `failed` (an error after every retry; a resumed run tries it again). */
  status: string;
  gold: string;
  predicted: string | null;
  /** 1 or 0. */
  correct: number;
  /** LLM calls paid (cache hits excluded). */
  calls: number;
  tokens_in: number;
  tokens_out: number;
  latency_ms: number;
  error: string | null;
  /** The stored case of an argmed deliberation, for `/v1/cases/:id/view`. */
  case_id: string | null;
  /** The method outcome (JSON). */
  outcome: string | null;
  finished_at: string;
}

// A type alias (not an interface) so it satisfies Kysely's `Record<string, ...>` constraint of withTables.
export type EvalTables = {
  eval_runs: EvalRunsTable;
  eval_items: EvalItemsTable;
};

export type EvalRunRow = Selectable<EvalRunsTable>;
export type EvalItemRow = Selectable<EvalItemsTable>;
export type NewEvalItemRow = Insertable<EvalItemsTable>;

/** The store's database with the evaluation tables. */
export type EvalDb = Kysely<Database & EvalTables>;

/** The evaluation view of a store connection (same connection, wider type). */
export function evalDb(db: Kysely<Database>): EvalDb {
  return db.withTables<EvalTables>();
}
