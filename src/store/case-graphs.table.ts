/**
 * The `case_graphs` table: the argument graph of a finished deliberation, one row a case, kept apart from
 * the result so listings and status reads do not load it.
 */
import type { Insertable, Selectable } from 'kysely';

export interface CaseGraphsTable {
  case_id: string;
  /** `{ nodes, attacks }` (JSON). */
  graph: string;
  nodes: number;
  attacks: number;
  created_at: string;
}

export type CaseGraphRow = Selectable<CaseGraphsTable>;
export type NewCaseGraphRow = Insertable<CaseGraphsTable>;
