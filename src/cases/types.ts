/**
 * Contracts of the case service: how the HTTP layer (and the CDS Hooks layer) submit, read, stream and
 * delete stored cases. The store and the runner implement `CaseService`; routes depend on this file only.
 *
 * Implemented by `createCaseService` (case-service.ts). What the implementation guarantees beyond the
 * types, for callers to rely on:
 * - Events: engine events are stored as `{ type, data }` with `data` the engine event without its `type`
 *   (`argument-added` -> `{ argument }`, ...). The service adds `status` events: `{ status: 'running',
 *   attempt }` when a run starts, `{ status, error? }` when it ends (the last event of a finished case;
 *   `events()` ends after it) and `{ status: 'queued', error }` when a stopping service hands a case back.
 *   A re-run after a crash continues the seq numbering of the earlier attempt.
 * - Errors carry `code` from the API's table: `ARGMED_IDEMPOTENCY_CONFLICT`, `ARGMED_VALIDATION` (bad
 *   case, cursor or time filter; the message starts with the field), `ARGMED_NOT_READY` (closing).
 * - `graph(id)` is undefined until the case has finished; `result.graph` is the same graph.
 */
import type { Case } from '../../agents/case.js';
import {
  DELIBERATION_STATUSES,
  type DeliberationGraph,
  type DeliberationResult,
  type DeliberationStatus,
} from '../engine/types.js';
import type { ContestResult } from '../revisions/contest-case.js';
import type { SubjectOverride } from '../revisions/subject-overrides.js';
import type { Contribution, ContributionMeta, RevisionGraph, RevisionList } from '../revisions/types.js';

export type CaseStatus = 'queued' | 'running' | DeliberationStatus;

/** Statuses after which nothing changes any more. */
export const TERMINAL_STATUSES: readonly CaseStatus[] = DELIBERATION_STATUSES;

export interface CaseFeedback {
  outcome: 'accepted' | 'overridden';
  overrideReason?: { code: string; display?: string; userComment?: string };
  card?: string;
  at: string;
}

export interface CaseRecord {
  id: string;
  status: CaseStatus;
  input: Case;
  result?: DeliberationResult;
  /** For `failed`: why. */
  error?: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  feedback: CaseFeedback[];
}

export type CaseSummary = Pick<CaseRecord, 'id' | 'status' | 'createdAt' | 'updatedAt' | 'finishedAt'> & {
  title?: string;
  decision?: string;
};

export interface StoredEvent {
  /** 1, 2, 3 ... within a case: the SSE id, so Last-Event-ID resumes exactly. */
  seq: number;
  type: string;
  data: unknown;
  at: string;
}

export interface ListQuery {
  status?: CaseStatus;
  /** ISO timestamps, inclusive. */
  createdAfter?: string;
  createdBefore?: string;
  limit: number;
  cursor?: string;
}

export interface CaseService {
  /**
   * Stores a case and starts its deliberation. With an idempotency key, the same key and body return the
   * existing case (`created: false`); the same key with another body throws `ARGMED_IDEMPOTENCY_CONFLICT`.
   */
  submit(
    kase: Case,
    options?: { idempotencyKey?: string },
  ): Promise<{ record: CaseRecord; created: boolean }>;
  get(id: string): Promise<CaseRecord | undefined>;
  list(query: ListQuery): Promise<{ items: CaseSummary[]; nextCursor?: string }>;
  /** Removes the case with its graph, events and call-log rows. False when it did not exist. */
  delete(id: string): Promise<boolean>;
  /** Resolves when the case ends or the timeout passes (then with its current record). */
  waitUntilDone(id: string, timeoutMs: number): Promise<CaseRecord | undefined>;
  /**
   * Events with seq > afterSeq: first those stored, then live ones, ending when the case ends or signal aborts.
   * With `follow`, the stream stays open after the case ends, for the `revision` events of contributions.
   */
  events(id: string, afterSeq: number, signal?: AbortSignal, follow?: boolean): AsyncIterable<StoredEvent>;
  graph(id: string): Promise<DeliberationGraph | undefined>;
  addFeedback(id: string, feedback: CaseFeedback): Promise<boolean>;
  /**
   * Contests a finished case: the contribution makes the next revision, re-solved (src/revisions).
   * @throws CaseServiceError (`ARGMED_VALIDATION` naming the field, `ARGMED_PRECONDITION_FAILED`,
   *   `ARGMED_REVISION_CONFLICT`, ...); the case is unchanged whenever it throws.
   */
  contribute(id: string, contribution: Contribution, meta: ContributionMeta): Promise<ContestResult>;
  /** The revisions of a case with the verification of their hash chain; undefined for an unknown case. */
  revisions(id: string): Promise<RevisionList | undefined>;
  /** The graph of one revision; undefined for an unknown case. @throws `ARGMED_REVISION_NOT_FOUND`. */
  revisionGraph(id: string, revision: number): Promise<RevisionGraph | undefined>;
  /** The CDS Hooks overrides still standing about a subject (`<patient>|<order>`), for the next hook call. */
  subjectOverrides(subject: string): Promise<SubjectOverride[]>;
  /** At start: cases left `running` or `queued` by a dead process are re-run or marked failed. */
  recoverInterrupted(): Promise<{ rerun: number; failed: number }>;
  close(): Promise<void>;
}
