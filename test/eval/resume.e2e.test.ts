/**
 * Resume: `argmed eval` runs as a child process (the built CLI), is killed with SIGKILL midway, and is
 * resumed with --resume. The resumed run's totals must equal those of an uninterrupted run, no item done
 * before the kill may be requested again, and at most the requests in flight at the kill are paid twice.
 * (On PostgreSQL a result waiting for its commit while the next item's request is out adds to that bound:
 * see run-evaluation.ts; on SQLite, used here, a result is committed before the next request leaves.)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/eval/datasets/load-dataset.js';
import { buildReport } from '../../src/eval/reports/build-report.js';
import { listItemResults } from '../../src/store/eval-items.repository.js';
import { listRuns } from '../../src/store/eval-runs.repository.js';
import { openEvalStore } from '../../src/eval/run/open-eval-store.js';
import { prepareRun } from '../../src/eval/run/prepare-run.js';
import { runOrEnqueue } from '../../src/eval/run/run-or-enqueue.js';
import type { EvalItem } from '../../src/eval/types.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { type ScriptStats, scriptFor } from '../support/scripted-eval-model.js';
import { sqliteStore, testConfig } from './eval-harness.js';
import { HAVE_SHARED, REPO_ROOT, sharedDataset } from './shared-datasets.js';

const CLI = join(REPO_ROOT, 'dist/src/cli/main.js');
const FILE = sharedDataset('medqa-usmle-4opt/phrases_no_exclude_test.jsonl');
const LIMIT = 24;
const CONCURRENCY = 4;

let mock: MockOpenAI;
let items: EvalItem[];
let stats: ScriptStats;
let respond: ReturnType<typeof scriptFor>;

function freshStats(): ScriptStats {
  return { requests: new Map(), rateLimited: new Map(), paid: new Map() };
}

beforeAll(async () => {
  if (!HAVE_SHARED) return;
  items = (await loadDataset('medqa', FILE, { limit: LIMIT })).items;
  mock = await startMockOpenAI({ respond: (r) => respond(r), latencyMs: 120 });
});

afterAll(async () => {
  await mock?.close();
});

function cli(args: string[], databaseUrl: string): ChildProcess {
  const env = { ...process.env, ...envOf(databaseUrl) };
  delete env.REDIS_URL;
  return spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

function envOf(databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    ARGMED_LLM_BASE_URL: mock.url,
    ARGMED_LLM_API_KEY: 'test-key',
    ARGMED_LLM_MODEL: 'mock-model',
    ARGMED_LLM_MAX_RETRIES: '1',
    LOG_LEVEL: 'silent',
  };
}

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

const args = ['eval', '--dataset', 'medqa', '--file', FILE, '--limit', String(LIMIT), '--methods', 'direct,cot'];

describe.skipIf(!HAVE_SHARED)('resume after SIGKILL', () => {
  it('continues where it stopped, never paying twice for a finished item', async () => {
    expect(existsSync(CLI), 'the built CLI is missing: run `npm run build` first').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'argmed-resume-'));
    const databaseUrl = `sqlite:${join(dir, 'eval.db')}`;
    const watcher = await openEvalStore({ databaseUrl });
    try {
      stats = freshStats();
      respond = scriptFor(items, stats);
      const child = cli([...args, '--concurrency', String(CONCURRENCY), '--out', join(dir, 'reports')], databaseUrl);
      const end = exited(child);
      // Kill once a third of the 48 results are stored.
      let doneBeforeKill = new Set<string>();
      for (;;) {
        const runs = await listRuns(watcher.db).catch(() => []);
        if (runs.length > 0) {
          const rows = await listItemResults(watcher.db, runs[0].id);
          if (rows.length >= 16) {
            child.kill('SIGKILL');
            break;
          }
        }
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const killed = await end;
      expect(killed.code, killed.stderr).toBeNull();
      const [run] = await listRuns(watcher.db);
      const stored = await listItemResults(watcher.db, run.id);
      doneBeforeKill = new Set(stored.filter((r) => r.status === 'done').map((r) => r.item_key));
      expect(stored.length).toBeLessThan(2 * LIMIT);
      const requestsBeforeResume = new Map(stats.requests);
      const paidBefore = new Map(stats.paid);

      const resumed = await exited(cli(['eval', '--resume', run.id, '--out', join(dir, 'reports')], databaseUrl));
      expect(resumed.code, resumed.stderr).toBe(0);

      // Items whose both results were stored before the kill got no request after it.
      const bothDone = [...doneBeforeKill].filter((key) => stored.filter((r) => r.item_key === key && r.status === 'done').length === 2);
      for (const key of bothDone) expect(stats.requests.get(key) ?? 0, key).toBe(requestsBeforeResume.get(key) ?? 0);

      // An uninterrupted run of the same spec, in a fresh database.
      const { store: fresh, url } = await sqliteStore();
      const reference = freshStats();
      respond = scriptFor(items, reference);
      const spec = { dataset: 'medqa' as const, file: FILE, slice: { limit: LIMIT }, methods: ['direct' as const, 'cot' as const], model: 'mock-model' };
      const straight = await prepareRun(fresh.db, spec);
      expect(straight.runId).toBe(run.id);
      await runOrEnqueue(testConfig(url, mock.url), fresh.db, straight, { concurrency: CONCURRENCY });

      const a = await buildReport(watcher.db, run.id);
      const b = await buildReport(fresh.db, straight.runId);
      const totals = (r: typeof a) =>
        r.summaries.map((s) => ({ method: s.method, items: s.items, done: s.done, failed: s.failed, correct: s.selective.correct }));
      expect(totals(a)).toEqual(totals(b));
      const answers = (r: typeof a) => r.items.map((i) => [i.itemKey, i.method, i.predicted, i.correct]);
      expect(answers(a)).toEqual(answers(b));

      // Paid answers: killed + resumed exceed the uninterrupted run by at most the requests in flight at the kill.
      const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
      const extra = sum(stats.paid!) - sum(reference.paid!);
      expect(extra).toBeGreaterThanOrEqual(0);
      expect(extra).toBeLessThanOrEqual(CONCURRENCY);
      expect(sum(paidBefore)).toBeGreaterThan(0);
      await fresh.close();
    } finally {
      await watcher.close();
    }
  }, 90_000);
});
