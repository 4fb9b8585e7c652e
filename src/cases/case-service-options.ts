/**
 * What `createCaseService` is built from: the database, how to get a back-end for a case, and the knobs of
 * running, heartbeats, recovery and polling, with their defaults.
 */
import type { Case, CaseSettings } from '../../agents/case.js';
import type { CallCache } from '../../agents/types.js';
import type { BuiltBackend } from '../backends.js';
import type { DeliberateOptions, DeliberationResult } from '../engine/types.js';
import type { Db } from '../store/database.js';
import type { CaseStatus } from './types.js';

/** The engine's entry point (injectable so tests can script a deliberation). */
export type DeliberateFn = (kase: Case, options: DeliberateOptions) => Promise<DeliberationResult>;

/**
 * Builds the back-end for a case's settings. `cache` is the persistent call cache of this case's run: a
 * model back-end should use it (`createBackend(config, { backend: settings?.backend, cache })`).
 * A knowledge back-end holds no per-case state: build it once and return it for every case.
 */
export type BackendFor = (
  settings: CaseSettings | undefined,
  context: { cache: CallCache },
) => BuiltBackend | Promise<BuiltBackend>;

/** The subset of a pino logger the service uses (a pino `Logger` fits). */
export interface CaseServiceLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** What `onCaseFinished` receives (for metrics). */
export interface CaseFinishedInfo {
  id: string;
  status: CaseStatus;
  /** Wall time of this run, from claim to stored result. */
  ms: number;
  result?: DeliberationResult;
}

/**
 * Where cases run when not in this process: `enqueue` puts a stored `queued` case on a shared queue (the
 * BullMQ work queue of src/queue) whose workers run it with `createCaseRunner`. Enqueuing the same case
 * again while it waits must be harmless (recovery re-enqueues cases whose holder went quiet).
 */
export interface CaseDispatch {
  enqueue(caseId: string): Promise<void>;
}

export interface CaseServiceOptions {
  db: Db;
  backendFor: BackendFor;
  /**
   * When given, `submit` and recovery enqueue cases here instead of running them in this process (which
   * then only stores, reads and streams). Default: run in process.
   */
  dispatch?: CaseDispatch;
  /** Default: the engine's `deliberate`. */
  deliberate?: DeliberateFn;
  logger?: CaseServiceLogger;
  /** Deliberations running at once in this process (default 4). */
  concurrency?: number;
  /** Starts of one case before recovery gives up and marks it failed (default 3). */
  maxAttempts?: number;
  /** How often this process refreshes the heartbeat of the cases it holds (default 5 s). */
  heartbeatMs?: number;
  /** A holder whose heartbeat is older than this is presumed dead (default 30 s). */
  staleAfterMs?: number;
  /** How often `recoverInterrupted` runs by itself; 0 turns it off (default: `staleAfterMs`). */
  sweepEveryMs?: number;
  /** How often readers poll the table for events written by other processes (default 500 ms). */
  pollMs?: number;
  /** Called after each case is stored as finished (errors in it are ignored). */
  onCaseFinished?: (info: CaseFinishedInfo) => void;
  /** How long `close` waits for running deliberations to stop (default 10 s). */
  closeTimeoutMs?: number;
  now?: () => Date;
}
