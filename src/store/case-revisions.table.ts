/**
 * The `case_revisions` table: every revision of a case's argument graph. Revision 1 is the deliberation's;
 * each contribution (a clinician's argument, a corrected fact, a withdrawal, a CDS Hooks override) adds the
 * next. Rows are never updated: the audit trail is append-only and hash-chained (src/revisions/revision-hash.ts).
 */
import type { Insertable, Selectable } from 'kysely';

export interface CaseRevisionsTable {
  case_id: string;
  /** 1, 2, 3 ... within a case. */
  revision: number;
  /** `deliberation`, `argument`, `fact`, `withdrawal` or `feedback`. */
  kind: string;
  /** Who: `system` for revision 1, the API key id (`key:<hash prefix>`), `anonymous`, or `cds:<user>`. */
  author: string;
  /** Why, in the contributor's words; null for revision 1. */
  reason: string | null;
  /** What changed (JSON). */
  change: string;
  /** The graph of this revision, labelled (JSON `{ nodes, attacks }`). */
  graph: string;
  /** The result without its graph: status, decision, explanation, ... (JSON). */
  outcome: string;
  /** Labels by argument id before and after (JSON objects). */
  labels_before: string;
  labels_after: string;
  /** For CDS Hooks overrides: `<patient>|<order>`; null otherwise. */
  subject: string | null;
  previous_hash: string | null;
  hash: string;
  created_at: string;
}

export type CaseRevisionRow = Selectable<CaseRevisionsTable>;
export type NewCaseRevisionRow = Insertable<CaseRevisionsTable>;
