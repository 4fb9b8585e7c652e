/**
 * The `cases` table: one row a submitted case, its status, its input and (once finished) its result.
 * JSON columns are text in both dialects; timestamps are ISO-8601 strings (UTC, milliseconds), so they
 * sort and compare as text.
 */
import type { Insertable, Selectable, Updateable } from 'kysely';

export interface CasesTable {
  id: string;
  /** `queued`, `running`, `decided`, `undecided`, `no-justified-decision` or `failed`. */
  status: string;
  /** The parsed case document (JSON). */
  input: string;
  /** The case's settings (JSON), copied out of `input` for queries; null when none. */
  settings: string | null;
  /** The deliberation result without its graph (JSON); the graph lives in `case_graphs`. */
  result: string | null;
  error: string | null;
  /** Denormalised for listings: the case title and the decided option id. */
  title: string | null;
  decision: string | null;
  idempotency_key: string | null;
  /** sha256 of the canonical JSON of the case, compared on a repeated idempotency key. */
  body_hash: string | null;
  /** How many times a deliberation of this case was started (recovery gives up after a limit). */
  attempts: number;
  /** The process that holds the case (`host:pid:instance`) while it is queued or running. */
  owner: string | null;
  /** Last sign of life of the owner; recovery takes cases whose heartbeat went stale. */
  heartbeat_at: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export type CaseRow = Selectable<CasesTable>;
export type NewCaseRow = Insertable<CasesTable>;
export type CaseRowUpdate = Updateable<CasesTable>;
