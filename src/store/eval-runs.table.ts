/** The `eval_runs` table (migration `20261125T140000-evaluations`): one row an evaluation run. */
import type { Selectable } from 'kysely';

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

export type EvalRunRow = Selectable<EvalRunsTable>;
