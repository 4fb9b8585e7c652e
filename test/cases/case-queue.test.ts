/**
 * The service's cases on the Redis work queue (REDIS_URL of the machine, a unique key prefix) over one
 * PostgreSQL schema: a service started with `config.redisUrl` stores and enqueues its cases and never runs
 * one itself; a worker (the `argmed worker` job loop with `createCaseRunner`, on its own connection pool, as
 * another process would) decides them, and the service's `waitUntilDone`, `?wait=true` and event stream see
 * the stored result. The runner is idempotent on retried jobs: a finished case is not run again, a case a
 * live process runs is left alone, and a dead worker's case is taken over.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Case, CaseSchema } from '../../agents/case.js';
import { loadSchemes } from '../../schemes/load.js';
import { createLogger } from '../../src/http/logger.js';
import { type RunningService, startService } from '../../src/http/start-service.js';
import { createBackend } from '../../src/backends.js';
import { backendForConfig } from '../../src/cases/backend-for-config.js';
import { type CaseRunner, createCaseRunner } from '../../src/cases/case-runner.js';
import type { DeliberateFn } from '../../src/cases/case-service-options.js';
import type { StoredEvent } from '../../src/cases/types.js';
import { type Config, loadConfig } from '../../src/config.js';
import { deliberate } from '../../src/engine/deliberate.js';
import type { DeliberationResult } from '../../src/engine/types.js';
import { createWorkQueue } from '../../src/queue/create-work-queue.js';
import { type RunningWorker, startWorker } from '../../src/eval/queue/start-worker.js';
import { findCaseById, insertCase } from '../../src/store/cases.repository.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { POSTGRES_URL } from '../store/test-stores.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const id = randomBytes(4).toString('hex');
const prefix = `argmed-case-queue-${id}`;
const schema = `case_queue_${id}`;
const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'cases', 't2d-first-line-metformin.json');
const input = CaseSchema.parse(JSON.parse(readFileSync(EXAMPLE, 'utf8'))) as Case;

/** The engine's deliberate, counting its calls (per process stand-in). */
function counting(): { deliberate: DeliberateFn; runs: string[] } {
  const runs: string[] = [];
  return {
    runs,
    deliberate: (kase, options) => {
      runs.push(kase.title ?? '');
      return deliberate(kase, options);
    },
  };
}

async function collect(iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

describe('cases on the Redis work queue', () => {
  let config: Config;
  let service: RunningService;
  let workerStore: Store;
  let runner: CaseRunner;
  let worker: RunningWorker;
  let expected: DeliberationResult;
  const api = counting();
  const work = counting();

  beforeAll(async () => {
    config = loadConfig({ DATABASE_URL: POSTGRES_URL, REDIS_URL, LOG_LEVEL: 'silent' });
    service = await startService(config, {
      logger: createLogger('silent'),
      store: { schema, dropSchemaOnClose: true, poolSize: 4 },
      queuePrefix: prefix,
      // No background sweep: the recovery test calls it itself.
      caseService: { deliberate: api.deliberate, pollMs: 50, staleAfterMs: 2_000, heartbeatMs: 200, sweepEveryMs: 0 },
    });
    // The worker side: its own pool on the same schema, as `argmed worker` in another process has.
    workerStore = await openStore({ databaseUrl: POSTGRES_URL }, { schema, poolSize: 2 });
    const schemes = await loadSchemes(config.schemesDir);
    runner = createCaseRunner({
      db: workerStore.db,
      backendFor: await backendForConfig(config, schemes),
      deliberate: work.deliberate,
      heartbeatMs: 200,
      staleAfterMs: 2_000,
    });
    worker = startWorker({
      config,
      db: workerStore.db,
      redisUrl: REDIS_URL,
      prefix,
      concurrency: 2,
      runCase: (caseId) => runner.runCase(caseId),
    });
    const built = await createBackend(config, { schemes });
    expected = await deliberate(input, { backend: built.backend, schemes: built.schemes });
  }, 30_000);

  afterAll(async () => {
    await worker?.close();
    await runner?.close();
    await workerStore?.close();
    const queue = createWorkQueue({ redisUrl: REDIS_URL, prefix });
    await queue.obliterate().catch(() => {});
    await queue.close();
    await service?.close();
  });

  it('a submitted case is stored queued, decided by the worker, and seen by waitUntilDone', async () => {
    const { record, created } = await service.caseService.submit(input);
    expect(created).toBe(true);
    expect(record.status).toBe('queued');
    const done = await service.caseService.waitUntilDone(record.id, 20_000);
    expect(done?.status).toBe(expected.status);
    expect(done?.result?.decision).toEqual(expected.decision);
    expect(done?.result?.graph).toEqual(expected.graph);
    // Deliberated once, on the worker; nothing in the API process.
    expect(work.runs).toEqual([input.title]);
    expect(api.runs).toEqual([]);
    // The service's event stream follows the worker's writes to the end.
    const events = await collect(service.caseService.events(record.id, 0));
    expect(events[0]).toMatchObject({ type: 'status', data: { status: 'running', attempt: 1 } });
    expect(events.at(-1)).toMatchObject({ type: 'status', data: { status: expected.status } });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
  }, 30_000);

  it('POST /v1/cases?wait=true answers with the worker’s result', async () => {
    const before = work.runs.length;
    const response = await service.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: { ...input, title: 'waited for over HTTP' },
    });
    expect(response.statusCode).toBeLessThan(300);
    const body = response.json() as { id: string; status: string; result?: DeliberationResult };
    expect(body.status).toBe(expected.status);
    expect(body.result?.decision).toEqual(expected.decision);
    expect(work.runs.slice(before)).toEqual(['waited for over HTTP']);
    expect(api.runs).toEqual([]);
  }, 30_000);

  it('a retried job does not run a finished case twice', async () => {
    const { record } = await service.caseService.submit({ ...input, title: 'run once' });
    const done = await service.caseService.waitUntilDone(record.id, 20_000);
    expect(done?.status).toBe(expected.status);
    await runner.runCase(record.id);
    await runner.runCase(record.id);
    expect(work.runs.filter((title) => title === 'run once')).toHaveLength(1);
    expect((await findCaseById(workerStore.db, record.id))?.attempts).toBe(1);
  }, 30_000);

  it('leaves a case a live process runs, and takes over one whose worker died', async () => {
    const at = new Date().toISOString();
    const base = { input: JSON.stringify({ ...input, title: 'held' }), attempts: 1, created_at: at, updated_at: at };
    await insertCase(workerStore.db, {
      id: `live-${id}`,
      status: 'running',
      owner: 'other-host:4242:aaaaaaaa',
      heartbeat_at: at,
      ...base,
    });
    await runner.runCase(`live-${id}`);
    expect((await findCaseById(workerStore.db, `live-${id}`))?.status).toBe('running');
    expect(work.runs).not.toContain('held');
    expect(await service.caseService.delete(`live-${id}`)).toBe(true);

    const stale = new Date(Date.now() - 60_000).toISOString();
    await insertCase(workerStore.db, {
      id: `dead-${id}`,
      status: 'running',
      owner: 'other-host:4242:bbbbbbbb',
      heartbeat_at: stale,
      ...base,
      input: JSON.stringify({ ...input, title: 'orphaned' }),
    });
    await runner.runCase(`dead-${id}`);
    const row = await findCaseById(workerStore.db, `dead-${id}`);
    expect(row?.status).toBe(expected.status);
    expect(row?.attempts).toBe(2);
    expect(work.runs.filter((title) => title === 'orphaned')).toHaveLength(1);
    expect(api.runs).toEqual([]);
  }, 30_000);

  it('recovery in the API process re-enqueues a dead worker’s case instead of running it', async () => {
    const stale = new Date(Date.now() - 60_000).toISOString();
    await insertCase(workerStore.db, {
      id: `recovered-${id}`,
      status: 'running',
      owner: 'other-host:4343:cccccccc',
      heartbeat_at: stale,
      input: JSON.stringify({ ...input, title: 'recovered' }),
      attempts: 1,
      created_at: stale,
      updated_at: stale,
    });
    expect(await service.caseService.recoverInterrupted()).toEqual({ rerun: 1, failed: 0 });
    const done = await service.caseService.waitUntilDone(`recovered-${id}`, 20_000);
    expect(done?.status).toBe(expected.status);
    expect(work.runs.filter((title) => title === 'recovered')).toHaveLength(1);
    expect(api.runs).toEqual([]);
  }, 30_000);

  it('a case whose job failed can be enqueued again (recovery is not swallowed by the kept failed job)', async () => {
    const other = `${prefix}-failed`;
    const queue = createWorkQueue({ redisUrl: REDIS_URL, prefix: other, attempts: 1 });
    // A worker without a case runner fails every case job.
    const bare = startWorker({ config, db: workerStore.db, redisUrl: REDIS_URL, prefix: other, concurrency: 1 });
    try {
      await queue.enqueueCase(`failing-${id}`);
      const deadline = Date.now() + 10_000;
      while ((await queue.counts()).failed !== 1) {
        if (Date.now() > deadline) throw new Error('the case job did not fail');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await bare.close();
      await queue.enqueueCase(`failing-${id}`);
      const counts = await queue.counts();
      expect(counts.failed).toBe(0);
      expect(counts.waiting).toBe(1);
      // While it waits, enqueuing it again adds nothing.
      await queue.enqueueCase(`failing-${id}`);
      expect((await queue.counts()).waiting).toBe(1);
    } finally {
      await bare.close();
      await queue.obliterate().catch(() => {});
      await queue.close();
    }
  }, 30_000);
});
