/**
 * The case service (the `CaseService` contract of types.ts) over the store: submit stores a case and queues
 * its deliberation in this process (at most `concurrency` at once); every engine event is stored with a
 * per-case seq before readers see it; the result, graph and call log are stored in one transaction at the
 * end. Readers (event streams, `waitUntilDone`) are woken in-process and also poll the table, so cases run
 * by another process sharing the database are followed too.
 *
 * Nothing is lost: a deliberation that throws ends `failed` with the reason; a case whose process died
 * stays `queued`/`running` with a stale heartbeat until `recoverInterrupted` (at start, and periodically)
 * re-runs it, or marks it `failed` after `maxAttempts` starts. Logs carry ids, statuses and timings only,
 * never case content.
 *
 * @example
 *   const service = createCaseService({ db: store.db, backendFor: (settings, { cache }) => ... });
 *   await service.recoverInterrupted();
 *   const { record } = await service.submit(caseBody, { idempotencyKey });
 */
import { randomUUID } from 'node:crypto';
import { type Case, type CaseInput, type CaseSettings, CaseSchema } from '../../agents/case.js';
import type { Backend, CallCache } from '../../agents/types.js';
import { deliberate as engineDeliberate } from '../engine/deliberate.js';
import type {
  DeliberateOptions,
  DeliberationEvent,
  DeliberationResult,
  SchemeLookup,
} from '../engine/types.js';
import { callRow, createCallLogCache } from '../store/call-log-cache.js';
import { appendCaseEvent, listCaseEvents, maxCaseEventSeq } from '../store/case-events.repository.js';
import { deleteCaseEvents } from '../store/case-events.repository.js';
import {
  deleteCaseFeedback,
  insertCaseFeedback,
  listCaseFeedback,
} from '../store/case-feedback.repository.js';
import { deleteCaseGraph, findCaseGraph, upsertCaseGraph } from '../store/case-graphs.repository.js';
import {
  type CaseHoldRow,
  claimCaseForRun,
  deleteCaseRow,
  findCaseById,
  findCaseByIdempotencyKey,
  findCaseStatus,
  heartbeatCases,
  insertCase,
  listCases,
  listUnfinishedCases,
  releaseCase,
  updateCaseIfHeldAs,
  updateOwnedCase,
} from '../store/cases.repository.js';
import type { CaseRow } from '../store/cases.table.js';
import type { Db } from '../store/database.js';
import { deleteLlmCallsOfCase, insertLlmCalls } from '../store/llm-calls.repository.js';
import { bodyHash } from './body-hash.js';
import { decodeCursor, encodeCursor } from './case-cursor.js';
import { createCaseEventWriter } from './case-event-writer.js';
import { createCaseNotifier } from './case-notifier.js';
import { isHolderGone, newOwnerId } from './case-owner.js';
import { caseRecordFromRows, caseSummaryFromRow } from './case-record-from-rows.js';
import { CaseServiceError } from './case-service-error.js';
import { createRunQueue } from './run-queue.js';
import {
  type CaseFeedback,
  type CaseRecord,
  type CaseService,
  type CaseStatus,
  type ListQuery,
  type StoredEvent,
  TERMINAL_STATUSES,
} from './types.js';

/** The engine's entry point (injectable so tests can script a deliberation). */
export type DeliberateFn = (kase: Case, options: DeliberateOptions) => Promise<DeliberationResult>;

/** A back-end with the schemes it was built with (what `createBackend` of src/backends.ts returns). */
export interface CaseBackend {
  backend: Backend;
  schemes?: SchemeLookup;
}

/**
 * Builds the back-end for a case's settings. `cache` is the persistent call cache of this case's run: a
 * model back-end should use it (`createBackend(config, { backend: settings?.backend, cache })`).
 * A knowledge back-end can be built once and returned for every case.
 */
export type BackendFor = (
  settings: CaseSettings | undefined,
  context: { cache: CallCache },
) => CaseBackend | Promise<CaseBackend>;

/** The subset of a pino logger the service uses. */
export interface CaseServiceLogger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** What `onCaseFinished` receives (for metrics): no case content. */
export interface CaseFinishedInfo {
  id: string;
  status: CaseStatus;
  /** Wall time of this run, from claim to stored result. */
  ms: number;
  result?: DeliberationResult;
}

export interface CaseServiceOptions {
  db: Db;
  backendFor: BackendFor;
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

const NO_LOG: CaseServiceLogger = { info() {}, warn() {}, error() {} };
const EVENT_PAGE = 500;
const MAX_LIST_LIMIT = 500;
const MAX_ERROR_LENGTH = 2_000;

const isTerminal = (status: string | undefined): boolean =>
  status !== undefined && (TERMINAL_STATUSES as readonly string[]).includes(status);

/**
 * Creates the case service.
 * @returns a `CaseService`; call `recoverInterrupted()` once at start and `close()` at shutdown.
 */
export function createCaseService(options: CaseServiceOptions): CaseService {
  const {
    db,
    backendFor,
    deliberate = engineDeliberate,
    logger = NO_LOG,
    concurrency = 4,
    maxAttempts = 3,
    heartbeatMs = 5_000,
    staleAfterMs = 30_000,
    pollMs = 500,
    closeTimeoutMs = 10_000,
    onCaseFinished,
    now = () => new Date(),
  } = options;
  const sweepEveryMs = options.sweepEveryMs ?? staleAfterMs;
  const owner = newOwnerId();
  const notifier = createCaseNotifier();
  /** Abort controllers of running deliberations: `abort` stops the engine; `deleted` stops cache writes. */
  const active = new Map<string, { abort: AbortController; deleted: AbortController }>();
  const queue = createRunQueue(concurrency, runCase);
  let closing = false;
  const iso = (): string => now().toISOString();

  const heartbeat = setInterval(() => {
    heartbeatCases(db, queue.held(), owner, iso()).catch((error) =>
      logger.warn({ err: errorName(error) }, 'case heartbeat failed'),
    );
  }, heartbeatMs);
  heartbeat.unref();
  const sweep =
    sweepEveryMs > 0
      ? setInterval(() => {
          recoverInterrupted().catch((error) =>
            logger.warn({ err: errorName(error) }, 'case recovery sweep failed'),
          );
        }, sweepEveryMs)
      : undefined;
  sweep?.unref();

  async function runCase(id: string): Promise<void> {
    if (closing) return;
    const started = Date.now();
    const controllers = { abort: new AbortController(), deleted: new AbortController() };
    active.set(id, controllers);
    try {
      if (!(await claimCaseForRun(db, id, owner, iso()))) return;
      const row = await findCaseById(db, id);
      if (!row) return;
      const kase = JSON.parse(row.input) as Case;
      const writer = createCaseEventWriter(db, id, await maxCaseEventSeq(db, id), {
        onStored: () => notifier.notify(id),
        now,
      });
      writer.push('status', { status: 'running', attempt: row.attempts });
      const cache = createCallLogCache(db, { caseId: id, now, signal: controllers.deleted.signal });
      let result: DeliberationResult | undefined;
      let failure: string | undefined;
      try {
        const { backend, schemes } = await backendFor(kase.settings, { cache });
        result = await deliberate(kase, {
          backend,
          schemes,
          cache,
          signal: controllers.abort.signal,
          onEvent: (event) => writer.push(event.type, eventData(event)),
        });
      } catch (error) {
        failure = `deliberation failed: ${describeError(error)}`;
      }
      if (controllers.deleted.signal.aborted) return;
      // The result matters more than the stream: a failed event write is logged and the result still stored.
      await writer
        .flush()
        .catch((error) => logger.warn({ caseId: id, err: errorName(error) }, 'case events not stored'));
      if (controllers.deleted.signal.aborted) return;
      if (closing && controllers.abort.signal.aborted) {
        await releaseCase(db, id, owner, iso());
        await appendCaseEvent(
          db,
          statusEvent(id, 'queued', 'the service stopped; the case resumes at next start', iso()),
        );
        logger.info({ caseId: id }, 'case handed back for the next start');
        return;
      }
      const status = await storeOutcome(id, result, failure, cache.unlogged(result?.calls ?? []));
      if (status === undefined) return;
      const ms = Date.now() - started;
      logger.info({ caseId: id, status, ms }, 'case finished');
      try {
        onCaseFinished?.({ id, status, ms, result });
      } catch {
        // A metrics hook must not fail the run it reports.
      }
    } catch (error) {
      if (controllers.deleted.signal.aborted) return;
      logger.error({ caseId: id, err: errorName(error) }, 'case run failed');
      await storeOutcome(
        id,
        undefined,
        `could not store the deliberation: ${describeError(error)}`,
        [],
      ).catch((inner) => logger.error({ caseId: id, err: errorName(inner) }, 'case left for recovery'));
    } finally {
      active.delete(id);
      // A cache write already under way when the case was deleted may have landed after the delete.
      if (controllers.deleted.signal.aborted) await deleteLlmCallsOfCase(db, id).catch(() => 0);
    }
  }

  /**
   * Stores the end of a run in one transaction: status, result, graph, remaining call-log rows, and the
   * terminal status event. @returns the stored status, or undefined when the case was gone or taken over.
   */
  async function storeOutcome(
    id: string,
    result: DeliberationResult | undefined,
    failure: string | undefined,
    unloggedCalls: NonNullable<DeliberationResult['calls']>,
  ): Promise<CaseStatus | undefined> {
    const status: CaseStatus = result?.status ?? 'failed';
    const error =
      status === 'failed' ? truncate(failure ?? result?.reason ?? 'the deliberation failed') : null;
    const at = iso();
    const stored = await db.transaction().execute(async (trx) => {
      const { graph, ...rest } = result ?? { graph: undefined };
      const updated = await updateOwnedCase(trx, id, owner, {
        status,
        result: result ? JSON.stringify(rest) : null,
        error,
        decision: result?.decision?.option ?? null,
        finished_at: at,
        updated_at: at,
        owner: null,
        heartbeat_at: null,
      });
      if (!updated) return false;
      if (graph) {
        await upsertCaseGraph(trx, {
          case_id: id,
          graph: JSON.stringify(graph),
          nodes: graph.nodes.length,
          attacks: graph.attacks.length,
          created_at: at,
        });
      }
      await insertLlmCalls(
        trx,
        unloggedCalls.map((call) => callRow(id, call, null, new Date(at))),
      );
      await appendCaseEvent(trx, statusEvent(id, status, error ?? undefined, at));
      return true;
    });
    notifier.notify(id, true);
    return stored ? status : undefined;
  }

  async function submit(
    input: CaseInput,
    submitOptions: { idempotencyKey?: string } = {},
  ): Promise<{ record: CaseRecord; created: boolean }> {
    if (closing)
      throw new CaseServiceError('ARGMED_NOT_READY', 'The service is shutting down; try again shortly.');
    const kase = parseCase(input);
    const hash = bodyHash(kase);
    const key = submitOptions.idempotencyKey;
    if (key !== undefined) {
      const existing = await findCaseByIdempotencyKey(db, key);
      if (existing) return { record: await replay(existing, hash), created: false };
    }
    const at = iso();
    const row: CaseRow = {
      id: randomUUID(),
      status: 'queued',
      input: JSON.stringify(kase),
      settings: kase.settings ? JSON.stringify(kase.settings) : null,
      result: null,
      error: null,
      title: kase.title ?? null,
      decision: null,
      idempotency_key: key ?? null,
      body_hash: hash,
      attempts: 0,
      owner,
      heartbeat_at: at,
      created_at: at,
      updated_at: at,
      finished_at: null,
    };
    if (!(await insertCase(db, row))) {
      // Another request with the same key won the race between our lookup and insert.
      const winner = key !== undefined ? await findCaseByIdempotencyKey(db, key) : undefined;
      if (!winner) throw new Error('argmed/cases: case insert ignored without an idempotency conflict');
      return { record: await replay(winner, hash), created: false };
    }
    queue.add(row.id);
    logger.info({ caseId: row.id }, 'case submitted');
    return { record: caseRecordFromRows(row, undefined, []), created: true };
  }

  async function replay(existing: CaseRow, hash: string): Promise<CaseRecord> {
    if (existing.body_hash !== hash) {
      throw new CaseServiceError(
        'ARGMED_IDEMPOTENCY_CONFLICT',
        'This Idempotency-Key was already used with a different case body; use a new key for a new case.',
      );
    }
    return (await get(existing.id)) ?? caseRecordFromRows(existing, undefined, []);
  }

  async function get(id: string): Promise<CaseRecord | undefined> {
    const row = await findCaseById(db, id);
    if (!row) return undefined;
    const [graphRow, feedbackRows] = await Promise.all([
      row.result !== null ? findCaseGraph(db, id) : Promise.resolve(undefined),
      listCaseFeedback(db, id),
    ]);
    return caseRecordFromRows(row, graphRow, feedbackRows);
  }

  async function list(query: ListQuery) {
    const limit = Math.min(Math.max(1, Math.floor(query.limit)), MAX_LIST_LIMIT);
    const rows = await listCases(db, {
      status: query.status,
      createdAfter: normaliseTime('createdAfter', query.createdAfter),
      createdBefore: normaliseTime('createdBefore', query.createdBefore),
      after: query.cursor !== undefined ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : undefined;
    return { items: page.map(caseSummaryFromRow), ...(nextCursor ? { nextCursor } : {}) };
  }

  async function deleteCase(id: string): Promise<boolean> {
    queue.remove(id);
    const running = active.get(id);
    running?.deleted.abort();
    running?.abort.abort();
    const existed = await db.transaction().execute(async (trx) => {
      await deleteCaseEvents(trx, id);
      await deleteCaseGraph(trx, id);
      await deleteCaseFeedback(trx, id);
      await deleteLlmCallsOfCase(trx, id);
      return deleteCaseRow(trx, id);
    });
    notifier.notify(id, true);
    if (existed) logger.info({ caseId: id }, 'case deleted');
    return existed;
  }

  async function waitUntilDone(id: string, timeoutMs: number): Promise<CaseRecord | undefined> {
    const deadline = Date.now() + Math.max(0, timeoutMs);
    for (;;) {
      const seen = notifier.version(id);
      const status = await findCaseStatus(db, id);
      const left = deadline - Date.now();
      if (status === undefined) return undefined;
      if (isTerminal(status) || left <= 0) return get(id);
      await notifier.wait(id, seen, Math.min(pollMs, left));
    }
  }

  async function* events(id: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<StoredEvent> {
    let last = Math.max(0, Math.floor(afterSeq));
    while (!signal?.aborted) {
      const seen = notifier.version(id);
      // Status before events: once it reads terminal, every event (the terminal one included) is stored.
      const status = await findCaseStatus(db, id);
      const rows = await listCaseEvents(db, id, last, EVENT_PAGE);
      for (const row of rows) {
        if (signal?.aborted) return;
        last = row.seq;
        const event: StoredEvent = { seq: row.seq, type: row.type, data: JSON.parse(row.data), at: row.at };
        yield event;
        if (isTerminalStatusEvent(event)) return;
      }
      if (rows.length === EVENT_PAGE) continue;
      if (status === undefined || isTerminal(status)) return;
      await notifier.wait(id, seen, pollMs, signal);
    }
  }

  async function graph(id: string) {
    const row = await findCaseGraph(db, id);
    return row ? (JSON.parse(row.graph) as NonNullable<CaseRecord['result']>['graph']) : undefined;
  }

  async function addFeedback(id: string, feedback: CaseFeedback): Promise<boolean> {
    if ((await findCaseStatus(db, id)) === undefined) return false;
    try {
      await insertCaseFeedback(db, {
        id: randomUUID(),
        case_id: id,
        outcome: feedback.outcome,
        override_reason: feedback.overrideReason ? JSON.stringify(feedback.overrideReason) : null,
        card: feedback.card ?? null,
        at: feedback.at,
        created_at: iso(),
      });
      return true;
    } catch (error) {
      // Deleted between the check and the insert: the foreign key refused it.
      if ((await findCaseStatus(db, id)) === undefined) return false;
      throw error;
    }
  }

  async function recoverInterrupted(): Promise<{ rerun: number; failed: number }> {
    if (closing) return { rerun: 0, failed: 0 };
    const rows = await listUnfinishedCases(db);
    const at = now();
    let rerun = 0;
    let failed = 0;
    for (const row of rows) {
      if (queue.has(row.id) || !isHolderGone(holderOf(row), owner, at, staleAfterMs)) continue;
      if (row.attempts >= maxAttempts) {
        if (await failInterrupted(row)) failed += 1;
      } else if (
        await updateCaseIfHeldAs(db, row, { status: 'queued', owner, heartbeat_at: iso(), updated_at: iso() })
      ) {
        queue.add(row.id);
        rerun += 1;
      }
    }
    if (rerun + failed > 0) logger.warn({ rerun, failed }, 'recovered interrupted cases');
    return { rerun, failed };
  }

  async function failInterrupted(row: CaseHoldRow): Promise<boolean> {
    const at = iso();
    const error = `interrupted: the process running this case stopped ${row.attempts} times; not retried again`;
    const done = await db.transaction().execute(async (trx) => {
      const updated = await updateCaseIfHeldAs(trx, row, {
        status: 'failed',
        error,
        finished_at: at,
        updated_at: at,
        owner: null,
        heartbeat_at: null,
      });
      if (updated) await appendCaseEvent(trx, statusEvent(row.id, 'failed', error, at));
      return updated;
    });
    if (done) notifier.notify(row.id, true);
    return done;
  }

  async function close(): Promise<void> {
    if (closing) return;
    closing = true;
    clearInterval(heartbeat);
    if (sweep) clearInterval(sweep);
    const waiting = queue.stop();
    for (const controllers of active.values()) controllers.abort.abort();
    const at = iso();
    await Promise.all(waiting.map((id) => releaseCase(db, id, owner, at).catch(() => false)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      queue.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, closeTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  return {
    submit,
    get,
    list,
    delete: deleteCase,
    waitUntilDone,
    events,
    graph,
    addFeedback,
    recoverInterrupted,
    close,
  };
}

function parseCase(input: CaseInput): Case {
  const parsed = CaseSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('/'),
    message: issue.message,
  }));
  const detail = issues.map((issue) => `${issue.path || 'case'}: ${issue.message}`).join('; ');
  throw new CaseServiceError('ARGMED_VALIDATION', detail, issues);
}

function normaliseTime(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new CaseServiceError('ARGMED_VALIDATION', `${field}: not an ISO 8601 date-time`);
  return new Date(time).toISOString();
}

/** The stored payload of an engine event: the event without its `type` (that is the event's own column). */
function eventData(event: DeliberationEvent): Record<string, unknown> {
  const { type: _type, ...data } = event;
  return data;
}

function statusEvent(caseId: string, status: CaseStatus, error: string | undefined, at: string) {
  return { caseId, type: 'status', data: JSON.stringify(error ? { status, error } : { status }), at };
}

function isTerminalStatusEvent(event: StoredEvent): boolean {
  if (event.type !== 'status' || event.data === null || typeof event.data !== 'object') return false;
  return isTerminal((event.data as { status?: string }).status);
}

function holderOf(row: CaseHoldRow) {
  return { owner: row.owner, heartbeatAt: row.heartbeat_at };
}

function describeError(error: unknown): string {
  const code = error && typeof error === 'object' && 'code' in error ? ` (${String(error.code)})` : '';
  return truncate(`${error instanceof Error ? error.message : String(error)}${code}`);
}

function truncate(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

/** Only the error's class and code go to logs: messages may quote data. */
function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return String(error.code);
  return error instanceof Error ? error.name : typeof error;
}
