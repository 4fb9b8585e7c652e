/** The `eval_items` table (migration `20261125T140000-evaluations`): one row an item × method of a run. */
import type { Insertable, Selectable } from 'kysely';

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

export type EvalItemRow = Selectable<EvalItemsTable>;
export type NewEvalItemRow = Insertable<EvalItemsTable>;
