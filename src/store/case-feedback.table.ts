/**
 * The `case_feedback` table: what the clinician did with a case's advice (CDS Hooks feedback: accepted or
 * overridden, with the reason).
 */
import type { Insertable, Selectable } from 'kysely';

export interface CaseFeedbackTable {
  id: string;
  case_id: string;
  outcome: string;
  /** `{ code, display?, userComment? }` (JSON) or null. */
  override_reason: string | null;
  card: string | null;
  /** When the feedback was given (as reported by the client). */
  at: string;
  created_at: string;
}

export type CaseFeedbackRow = Selectable<CaseFeedbackTable>;
export type NewCaseFeedbackRow = Insertable<CaseFeedbackTable>;
