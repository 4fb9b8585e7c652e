/**
 * Scale-out on Redis: a run's items become BullMQ jobs; two `argmed worker` processes (the built CLI)
 * share them over one database (PostgreSQL in a fresh schema when DATABASE_URL is PostgreSQL, else a
 * SQLite file); one worker is killed with SIGKILL midway. Its jobs must be retried by the other without
 * loss or double counting, and at most the requests it had in flight may be paid twice.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { loadDataset } from '../../src/eval/datasets/load-dataset.js';
import { createWorkQueue } from '../../src/queue/create-work-queue.js';
import { waitForRun } from '../../src/eval/run/wait-for-run.js';
import { buildReport } from '../../src/eval/reports/build-report.js';
import { listItemResults } from '../../src/store/eval-items.repository.js';
import { openEvalStore } from '../../src/eval/run/open-eval-store.js';
import { pendingJobs } from '../../src/eval/run/run-evaluation.js';
import { prepareRun } from '../../src/eval/run/prepare-run.js';
import type { Store } from '../../src/store/open-store.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { expectedCorrect, type ScriptStats, scriptFor } from '../support/scripted-eval-model.js';
import { HAVE_SHARED, REPO_ROOT, sharedDataset } from './shared-datasets.js';

const env = loadConfig();
const CLI = join(REPO_ROOT, 'dist/src/cli/main.js');
const FILE = sharedDataset('pubmedqa/ori_pqal.json');
const LIMIT = 20;
const WORKER_CONCURRENCY = 4;
const id = randomBytes(4).toString('hex');
const prefix = `argmed-test-${id}`;

const children: ChildProcess[] = [];
let mock: MockOpenAI | undefined;
let store: Store | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (env.redisUrl) {
    const queue = createWorkQueue({ redisUrl: env.redisUrl, prefix });
    await queue.obliterate().catch(() => {});
    await queue.close();
  }
  await mock?.close();
  await store?.close();
});

/** The database both workers and the test use: a fresh PostgreSQL schema, or a SQLite file. */
async function sharedDatabase(): Promise<{ store: Store; childUrl: string }> {
  if (env.databaseUrl.startsWith('postgres')) {
    const schema = `eval_workers_${id}`;
    const opened = await openEvalStore(env, { schema, dropSchemaOnClose: true });
    const sep = env.databaseUrl.includes('?') ? '&' : '?';
    return { store: opened, childUrl: `${env.databaseUrl}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}` };
  }
  const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'argmed-workers-')), 'eval.db')}`;
  return { store: await openEvalStore({ databaseUrl: url }), childUrl: url };
}

function worker(databaseUrl: string, mockUrl: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [CLI, 'worker', '--concurrency', String(WORKER_CONCURRENCY), '--queue-prefix', prefix, '--lock-ms', '2000'],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        REDIS_URL: env.redisUrl,
        ARGMED_LLM_BASE_URL: mockUrl,
        ARGMED_LLM_API_KEY: 'test-key',
        ARGMED_LLM_MODEL: 'mock-model',
        ARGMED_LLM_MAX_RETRIES: '1',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  children.push(child);
  return child;
}

/** Resolves when a worker says it is processing (it prints that once connected). */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk) => {
      text += chunk;
      if (text.includes('processing jobs')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}): ${text}`)));
  });
}

describe.skipIf(!HAVE_SHARED || !env.redisUrl)('two workers on Redis', () => {
  it('a killed worker\'s jobs are finished by the other, once each', async () => {
    expect(existsSync(CLI), 'the built CLI is missing: run `npm run build` first').toBe(true);
    const items = (await loadDataset('pubmedqa', FILE, { limit: LIMIT })).items;
    const stats: ScriptStats = { requests: new Map(), rateLimited: new Map(), paid: new Map() };
    const respond = scriptFor(items, stats);
    mock = await startMockOpenAI({ respond, latencyMs: 150 });
    const db = await sharedDatabase();
    store = db.store;
    const run = await prepareRun(store.db, {
      dataset: 'pubmedqa',
      file: FILE,
      slice: { limit: LIMIT },
      methods: ['direct', 'cot'],
      model: 'mock-model',
    });
    const first = worker(db.childUrl, mock.url);
    const second = worker(db.childUrl, mock.url);
    await Promise.all([ready(first), ready(second)]);
    const queue = createWorkQueue({ redisUrl: env.redisUrl!, prefix });
    await queue.enqueueItems(await pendingJobs(store.db, run));
    await queue.close();
    // Kill the first worker once it has surely taken jobs: a quarter of the results stored.
    const deadline = Date.now() + 60_000;
    let atKill = 0;
    while (Date.now() < deadline) {
      atKill = (await listItemResults(store.db, run.runId)).length;
      if (atKill >= 10) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    first.kill('SIGKILL');
    // The kill came midway: what was left (including the dead worker's jobs in hand) is the second's.
    expect(atKill).toBeLessThan(2 * LIMIT);
    const progress = await waitForRun(store.db, run.runId, {
      total: run.total,
      pollMs: 100,
      signal: AbortSignal.timeout(60_000),
    });
    second.kill('SIGTERM');
    expect(progress).toMatchObject({ status: 'done', total: 2 * LIMIT, done: 2 * LIMIT, failed: 0 });
    const report = await buildReport(store.db, run.runId);
    expect(report.items).toHaveLength(2 * LIMIT);
    items.forEach((item, index) => {
      for (const method of ['direct', 'cot']) {
        const r = report.items.find((x) => x.itemKey === item.key && x.method === method)!;
        expect([item.key, method, r.correct]).toEqual([item.key, method, expectedCorrect(index)]);
      }
    });
    // Without a kill each item × method is answered once (two for none): count the answers paid.
    const paid = [...stats.paid!.values()].reduce((a, b) => a + b, 0);
    expect(paid).toBeGreaterThanOrEqual(2 * LIMIT);
    expect(paid).toBeLessThanOrEqual(2 * LIMIT + WORKER_CONCURRENCY);
  }, 90_000);
});
