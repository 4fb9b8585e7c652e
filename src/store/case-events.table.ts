/**
 * The `case_events` table: every event of a case's deliberation, numbered 1, 2, 3 ... within the case
 * (the number is the SSE id, so a reconnecting client resumes exactly). Primary key `(case_id, seq)`.
 */
import type { Insertable, Selectable } from 'kysely';

export interface CaseEventsTable {
  case_id: string;
  seq: number;
  type: string;
  /** The event's payload (JSON). */
  data: string;
  at: string;
}

export type CaseEventRow = Selectable<CaseEventsTable>;
export type NewCaseEventRow = Insertable<CaseEventsTable>;
