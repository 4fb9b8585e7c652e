/**
 * The case service (the `CaseService` contract of types.ts) over the store: submit stores a case and queues
 * its deliberation in this process (at most `concurrency` at once); every engine event is stored with a
 * per-case seq before readers see it; the result, graph and call log are stored in one transaction at the
 * end. Readers (event streams, `waitUntilDone`) are woken in-process and also poll the table, so cases run
 * by another process sharing the database are followed too.
 *
 * With `dispatch` (REDIS_URL set), `submit` and recovery enqueue the stored case instead, and workers run it
 * through `runStored` (see case-runner.ts); readers here follow it through the table like any other process's.
 *
 * Nothing is lost: a deliberation that throws ends `failed` with the reason; a case whose process died
 * stays `queued`/`running` under a stale heartbeat until `recoverInterrupted` (at start, and every
 * `sweepEveryMs`) re-runs it, or marks it `failed` after `maxAttempts` starts; `close` hands unfinished
 * cases back so the next start takes them at once. Logs carry ids, statuses and timings, never case content.
 *
 * @example
 *   const service = createCaseService({ db: store.db, backendFor: () => built, logger });
 *   await service.recoverInterrupted();
 *   const { record } = await service.submit(caseBody, { idempotencyKey });
 */
import { randomUUID } from 'node:crypto';
import type { Case } from '../../agents/case.js';
import { deliberate as engineDeliberate } from '../engine/deliberate.js';
import type { DeliberationEvent, DeliberationResult } from '../engine/types.js';
import { createCallLogCache } from '../store/call-log-cache.js';
import { appendCaseEvent, deleteCaseEvents, maxCaseEventSeq } from '../store/case-events.repository.js';
import {
  deleteCaseFeedback,
  insertCaseFeedback,
  listCaseFeedback,
} from '../store/case-feedback.repository.js';
import { deleteCaseGraph, findCaseGraph } from '../store/case-graphs.repository.js';
import { deleteCaseRevisions } from '../store/case-revisions.repository.js';
import { contestCase, listRevisions, revisionGraph } from '../revisions/contest-case.js';
import { subjectOverrides } from '../revisions/subject-overrides.js';
import {
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
} from '../store/cases.repository.js';
import type { CaseRow } from '../store/cases.table.js';
import { deleteLlmCallsOfCase } from '../store/llm-calls.repository.js';
import { canonicalJson, textHash } from './body-hash.js';
import { decodeCursor, encodeCursor } from './case-cursor.js';
import { streamCaseEvents } from './case-event-stream.js';
import { createCaseEventWriter } from './case-event-writer.js';
import { normaliseTime, readStoredCase } from './case-input.js';
import { createCaseNotifier } from './case-notifier.js';
import { failInterruptedCase, isTerminalStatus, statusEvent, storeRunOutcome } from './case-outcome.js';
import { isHolderGone, newOwnerId } from './case-owner.js';
import { caseRecordFromRows, caseSummaryFromRow } from './case-record-from-rows.js';
import { CaseServiceError } from './case-service-error.js';
import type { CaseServiceLogger, CaseServiceOptions } from './case-service-options.js';
import { describeError, errorName } from './describe-error.js';
import { createRunQueue } from './run-queue.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';
import type { CaseFeedback, CaseRecord, CaseService, ListQuery, StoredEvent } from './types.js';

// The options' types are part of this module's surface (src/http/start-service.ts imports them from here).
export type {
  BackendFor,
  CaseDispatch,
  CaseFinishedInfo,
  CaseServiceLogger,
  CaseServiceOptions,
  DeliberateFn,
} from './case-service-options.js';

const NO_LOG: CaseServiceLogger = { info() {}, warn() {}, error() {} };
const MAX_LIST_LIMIT = 500;
const HEARTBEAT_CHUNK = 500;

/** The service as created here: the contract plus the entry point of a worker that runs queued cases. */
export type CaseServiceInstance = CaseService & {
  /**
   * Runs one stored case in this process and resolves when it is stored as finished (or handed back).
   * Idempotent: a finished or unknown case, or one a live process is running, is left alone; a case whose
   * holder is gone (a dead worker: stale heartbeat, or a vanished pid on this host) is taken over, or failed
   * after `maxAttempts` starts, exactly as recovery does.
   * @throws `ARGMED_NOT_READY` while closing (the job should be retried elsewhere); store errors.
   */
  runStored(caseId: string): Promise<void>;
};

/**
 * Creates the case service.
 * @returns a `CaseService`; call `recoverInterrupted()` once at start and `close()` at shutdown (it does not
 *   close the database).
 */
export function createCaseService(options: CaseServiceOptions): CaseServiceInstance {
  const {
    db,
    backendFor,
    dispatch,
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
  /** Running deliberations: `abort` stops the engine; `deleted` also stops its cache writes. */
  const active = new Map<string, { abort: AbortController; deleted: AbortController }>();
  const queue = createRunQueue(concurrency, runCase);
  let closing = false;
  const iso = (): string => now().toISOString();

  const heartbeat = setInterval(() => {
    beat().catch((error) => logger.warn({ err: errorName(error) }, 'case heartbeat failed'));
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

  /** Refreshes the heartbeat of every case this process holds, in chunks (SQL parameter limits). */
  async function beat(): Promise<void> {
    const held = queue.held();
    const at = iso();
    for (let start = 0; start < held.length; start += HEARTBEAT_CHUNK) {
      await heartbeatCases(db, held.slice(start, start + HEARTBEAT_CHUNK), owner, at);
    }
  }

  async function runCase(id: string): Promise<void> {
    if (closing) return;
    const started = Date.now();
    const controllers = { abort: new AbortController(), deleted: new AbortController() };
    active.set(id, controllers);
    try {
      // One run must not chain into the next within one microtask drain (see yield-to-event-loop.ts).
      await yieldToEventLoop();
      const row = await claimCaseForRun(db, id, owner, iso());
      if (!row) return;
      const { result, failure, unlogged } = await deliberateCase(row, controllers);
      if (controllers.deleted.signal.aborted) return;
      // Cut short by `close`: hand it back. A run that still finished (or failed on its own) is stored.
      const cutShort = result ? result.aborted === true : failure !== undefined;
      if (closing && controllers.abort.signal.aborted && cutShort) return await handBack(id);
      const status = await storeRunOutcome(db, {
        id,
        owner,
        result,
        failure,
        unloggedCalls: unlogged,
        at: iso(),
      });
      notifier.notify(id, true);
      if (status === undefined) {
        // Deleted by another process while it ran here: the call-log rows written meanwhile go too.
        if ((await findCaseStatus(db, id)) === undefined) await deleteLlmCallsOfCase(db, id);
        return;
      }
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
      const failure = `could not store the deliberation: ${describeError(error)}`;
      await storeRunOutcome(db, { id, owner, failure, unloggedCalls: [], at: iso() })
        .then(() => notifier.notify(id, true))
        .catch((inner) => logger.error({ caseId: id, err: errorName(inner) }, 'case left for recovery'));
    } finally {
      active.delete(id);
      // A cache write already under way when the case was deleted may have landed after the delete.
      if (controllers.deleted.signal.aborted) await deleteLlmCallsOfCase(db, id).catch(() => 0);
    }
  }

  /** Runs the engine on a claimed case, storing its events as they come. Rejects only on store errors. */
  async function deliberateCase(
    row: CaseRow,
    controllers: { abort: AbortController; deleted: AbortController },
  ) {
    const id = row.id;
    const kase = readStoredCase(row.input, id);
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
    // The result matters more than the stream: a failed event write is logged and the result still stored.
    if (!controllers.deleted.signal.aborted) {
      await writer
        .flush()
        .catch((error) => logger.warn({ caseId: id, err: errorName(error) }, 'events not stored'));
    }
    return { result, failure, unlogged: cache.unlogged(result?.calls ?? []) };
  }

  /** Starts a stored `queued` case: on the shared queue when dispatching, otherwise in this process. */
  async function start(id: string): Promise<void> {
    if (!dispatch) {
      // Not awaited: the caller only starts the run.
      queue.add(id);
      return;
    }
    try {
      await dispatch.enqueue(id);
    } catch (error) {
      // The case is stored; once its heartbeat goes stale the recovery sweep enqueues it again.
      logger.warn({ caseId: id, err: errorName(error) }, 'case not enqueued; recovery retries it');
    }
  }

  async function runStored(id: string): Promise<void> {
    if (closing)
      throw new CaseServiceError('ARGMED_NOT_READY', 'The case runner is shutting down; try again shortly.');
    if (queue.has(id)) return queue.add(id);
    const row = await findCaseById(db, id);
    if (!row || isTerminalStatus(row.status)) return;
    const holder = { owner: row.owner, heartbeatAt: row.heartbeat_at };
    if (row.status === 'running' && !isHolderGone(holder, owner, now(), staleAfterMs)) {
      logger.info({ caseId: id }, 'case is running in a live process; not run twice');
      return;
    }
    if (row.attempts >= maxAttempts) {
      if (await failInterruptedCase(db, row, iso())) notifier.notify(id, true);
      return;
    }
    // Compare-and-set: of two runners handed the same case, one takes it.
    if (
      !(await updateCaseIfHeldAs(db, row, {
        status: 'queued',
        owner,
        heartbeat_at: iso(),
        updated_at: iso(),
      }))
    )
      return;
    await queue.add(id);
  }

  async function handBack(id: string): Promise<void> {
    if (await releaseCase(db, id, owner, iso())) {
      await appendCaseEvent(
        db,
        statusEvent(id, 'queued', 'the service stopped; the case resumes at next start', iso()),
      );
      logger.info({ caseId: id }, 'case handed back for the next start');
    }
  }

  async function submit(
    kase: Case,
    submitOptions: { idempotencyKey?: string } = {},
  ): Promise<{ record: CaseRecord; created: boolean }> {
    if (closing)
      throw new CaseServiceError('ARGMED_NOT_READY', 'The service is shutting down; try again shortly.');
    // One text for both the idempotency hash and the stored row.
    const text = canonicalJson(kase);
    const hash = textHash(text);
    const key = submitOptions.idempotencyKey;
    if (key !== undefined) {
      const existing = await findCaseByIdempotencyKey(db, key);
      if (existing) return { record: await replay(existing, hash), created: false };
    }
    const row = newCaseRow(kase, text, hash, key, iso());
    if (!(await insertCase(db, row))) {
      // Another request with the same key won the race between our lookup and our insert.
      const winner = key !== undefined ? await findCaseByIdempotencyKey(db, key) : undefined;
      if (!winner) throw new Error('argmed/cases: case insert ignored without an idempotency conflict');
      return { record: await replay(winner, hash), created: false };
    }
    await start(row.id);
    logger.info({ caseId: row.id, dispatched: dispatch !== undefined }, 'case submitted');
    return { record: caseRecordFromRows(row, undefined, []), created: true };
  }

  function newCaseRow(kase: Case, text: string, hash: string, key: string | undefined, at: string): CaseRow {
    return {
      id: randomUUID(),
      status: 'queued',
      input: text,
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
      await deleteCaseRevisions(trx, id);
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
      if (isTerminalStatus(status) || left <= 0) return get(id);
      await notifier.wait(id, seen, Math.min(pollMs, left));
    }
  }

  function events(
    id: string,
    afterSeq: number,
    signal?: AbortSignal,
    follow = false,
  ): AsyncIterable<StoredEvent> {
    return streamCaseEvents(db, id, afterSeq, { notifier, pollMs, signal, follow });
  }

  const contestDeps = { db, backendFor, now, notify: (id: string) => notifier.notify(id) };

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
      const holder = { owner: row.owner, heartbeatAt: row.heartbeat_at };
      if (queue.has(row.id) || !isHolderGone(holder, owner, at, staleAfterMs)) continue;
      if (row.attempts >= maxAttempts) {
        if (await failInterruptedCase(db, row, iso())) {
          notifier.notify(row.id, true);
          failed += 1;
        }
      } else if (
        await updateCaseIfHeldAs(db, row, { status: 'queued', owner, heartbeat_at: iso(), updated_at: iso() })
      ) {
        await start(row.id);
        rerun += 1;
      }
    }
    if (rerun + failed > 0) logger.warn({ rerun, failed }, 'recovered interrupted cases');
    return { rerun, failed };
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
    contribute: (id, contribution, meta) => contestCase(contestDeps, id, contribution, meta),
    revisions: (id) => listRevisions(db, id),
    revisionGraph: (id, revision) => revisionGraph(db, id, revision),
    subjectOverrides: (subject) => subjectOverrides(db, subject),
    recoverInterrupted,
    close,
    runStored,
  };
}

/** The stored payload of an engine event: the event without its `type` (that is the event's own column). */
function eventData(event: DeliberationEvent): Record<string, unknown> {
  const { type: _type, ...data } = event;
  return data;
}
