/**
 * Benchmark of batch evaluation (`npm run bench:eval`): 500 generated items, method `direct` (one model call
 * an item), against the local mock OpenAI server answering after 100 ms. The mock runs in a child process
 * (bench/mock-openai-process.ts): a model server is remote in reality, and in this process its CPU would be
 * charged to the run, so the figures measure argmed only.
 *
 * 1. In process at concurrency 1, 8 and 32 (each a fresh run and model name, so no cache helps), after an
 *    untimed warm-up run of other items: on the embedded default store, SQLite (a temporary file, as the
 *    README's in-process deployment), and also on PostgreSQL when DATABASE_URL is set, each labelled.
 * 2. On Redis (when REDIS_URL is set): one, then two `argmed worker` processes (the built CLI) at
 *    concurrency 8 each, connected to Redis and warmed up by a small run of other items before the clock
 *    starts; timed from enqueueing to the last stored result. Their CPU is read from /proc (Linux) over
 *    the same span.
 * Reported: items/s and its ratio to the ideal (items in flight / latency). Targets: >= 80% of ideal at 32
 * in process (for each store); two workers >= 1.7x one. The workers' database is DATABASE_URL (a fresh
 * PostgreSQL schema) or, without it, the temporary SQLite file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, loadConfig } from '../src/config.js';
import { createWorkQueue } from '../src/queue/create-work-queue.js';
import { waitForRun } from '../src/eval/run/wait-for-run.js';
import { openEvalStore } from '../src/eval/run/open-eval-store.js';
import { prepareRun } from '../src/eval/run/prepare-run.js';
import { pendingJobs } from '../src/eval/run/run-evaluation.js';
import { runOrEnqueue } from '../src/eval/run/run-or-enqueue.js';
import type { Store } from '../src/store/open-store.js';
import { packageRoot } from '../schemes/package-root.js';

const ITEMS = 500;
const LATENCY_MS = 100;
const WORKER_CONCURRENCY = 8;
const id = randomBytes(4).toString('hex');

/** Synthetic cases in the generic JSONL format: no dataset is copied. */
function writeItems(dir: string, count = ITEMS, name = 'bench'): string {
  const file = join(dir, `${name}.jsonl`);
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `b${i}`,
      facts: [`Synthetic ${name} patient ${i} with finding ${i % 7}`],
      question: `Which option for synthetic case ${i}?`,
      options: [
        { id: 'A', text: `first option ${i}` },
        { id: 'B', text: `second option ${i}` },
      ],
      answer: i % 2 === 0 ? 'A' : 'B',
    }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

interface Row {
  mode: string;
  inFlight: number;
  seconds: number;
  itemsPerSecond: number;
  ideal: number;
  /** CPU time per item, in ms: of this process (in process), or of the worker processes together. */
  cpuMsPerItem?: number;
}

/** Starts the mock server in a child process; resolves once it listens. */
function spawnMock(): Promise<{ url: string; stop: () => void }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'mock-openai-process.js');
  const child = spawn(process.execPath, [script, String(LATENCY_MS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk) => {
      text += chunk;
      const line = text.split('\n')[0];
      if (text.includes('\n')) resolve({ url: (JSON.parse(line) as { url: string }).url, stop: () => child.kill('SIGTERM') });
    });
    child.on('exit', (code) => reject(new Error(`mock server exited (${code})`)));
  });
}

/** CPU time (user + system) a process has used so far, in ms, from /proc; undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

function totalCpuMs(children: ChildProcess[]): number | undefined {
  let sum = 0;
  for (const child of children) {
    const ms = processCpuMs(child.pid);
    if (ms === undefined) return undefined;
    sum += ms;
  }
  return sum;
}

interface Database {
  /** The store's name in the report: `postgres` or `sqlite`. */
  name: string;
  store: Store;
  /** The URL the worker processes use (PostgreSQL: the bench schema on the search path). */
  childUrl: string;
  config: Config;
}

/** The stores measured in process: SQLite (a temporary file) always, PostgreSQL first when DATABASE_URL names it. */
async function openDatabases(base: Config): Promise<Database[]> {
  const databases: Database[] = [];
  try {
    if (base.databaseUrl.startsWith('postgres')) {
      const schema = `bench_eval_${id}`;
      const store = await openEvalStore(base, { schema, dropSchemaOnClose: true });
      const sep = base.databaseUrl.includes('?') ? '&' : '?';
      const childUrl = `${base.databaseUrl}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      databases.push({ name: 'postgres', store, childUrl, config: base });
    }
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'argmed-bench-')), 'eval.db')}`;
    databases.push({ name: 'sqlite', store: await openEvalStore({ databaseUrl: url }), childUrl: url, config: { ...base, databaseUrl: url } });
  } catch (error) {
    for (const d of databases) await d.store.close();
    throw error;
  }
  return databases;
}

function spawnWorker(cli: string, env: Record<string, string>, prefix: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(
    process.execPath,
    [cli, 'worker', '--concurrency', String(WORKER_CONCURRENCY), '--queue-prefix', prefix],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const ready = new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr?.on('data', (chunk) => {
      text += chunk;
      if (text.includes('processing jobs')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`worker exited (${code}): ${text.slice(-500)}`)));
  });
  return { child, ready };
}

async function main(): Promise<void> {
  const base = loadConfig();
  const dir = mkdtempSync(join(tmpdir(), 'argmed-bench-items-'));
  const file = writeItems(dir);
  const mock = await spawnMock();
  const databases = await openDatabases(base);
  // The workers share the first store: PostgreSQL when set (with Redis, the deployment of several workers).
  const { store, childUrl } = databases[0];
  const rows: Row[] = [];
  const llm = (config: Config, model: string, concurrency: number): Config => ({
    ...config,
    llm: { ...config.llm, baseURL: mock.url, apiKey: 'bench', model, maxRetries: 1, concurrency },
  });
  try {
    for (const database of databases) {
      const db = database.store.db;
      const mode = `in-process ${database.name}`;
      // Untimed: a small run of other items (and another model name, so the cache serves none of the timed
      // ones) so that JIT compilation, the database pool and the HTTP sockets are not charged to c=1.
      const warmInProcess = writeItems(dir, 2 * 32, `warm-up-in-process-${database.name}`);
      const warmModel = `bench-${id}-${database.name}-warm`;
      await runOrEnqueue(llm(database.config, warmModel, 32), db, await prepareRun(db, { dataset: 'jsonl', file: warmInProcess, methods: ['direct'], model: warmModel }), { concurrency: 32 });
      for (const concurrency of [1, 8, 32]) {
        const model = `bench-${id}-${database.name}-c${concurrency}`;
        const run = await prepareRun(db, { dataset: 'jsonl', file, methods: ['direct'], model });
        const started = performance.now();
        const cpu = process.cpuUsage();
        const progress = await runOrEnqueue(llm(database.config, model, concurrency), db, run, { concurrency });
        const seconds = (performance.now() - started) / 1000;
        const used = process.cpuUsage(cpu);
        const cpuMsPerItem = (used.user + used.system) / 1000 / ITEMS;
        if (progress.done !== ITEMS) throw new Error(`${mode} run finished ${progress.done} of ${ITEMS}`);
        rows.push({
          mode,
          inFlight: concurrency,
          seconds,
          itemsPerSecond: ITEMS / seconds,
          ideal: (concurrency * 1000) / LATENCY_MS,
          cpuMsPerItem,
        });
        process.stderr.write(`${mode} c=${concurrency}: ${seconds.toFixed(2)} s\n`);
      }
    }
    if (base.redisUrl) {
      const cli = join(packageRoot(), 'dist/src/cli/main.js');
      const warmFile = writeItems(dir, 4 * WORKER_CONCURRENCY, 'warm-up');
      for (const workers of [1, 2]) {
        const model = `bench-${id}-w${workers}`;
        const prefix = `argmed-bench-${id}-w${workers}`;
        const env = {
          DATABASE_URL: childUrl,
          REDIS_URL: base.redisUrl,
          ARGMED_LLM_BASE_URL: mock.url,
          ARGMED_LLM_API_KEY: 'bench',
          ARGMED_LLM_MODEL: model,
          ARGMED_LLM_MAX_RETRIES: '1',
          LOG_LEVEL: 'silent',
        };
        const spawned = Array.from({ length: workers }, () => spawnWorker(cli, env, prefix));
        try {
          await Promise.all(spawned.map((s) => s.ready));
          const queue = createWorkQueue({ redisUrl: base.redisUrl, prefix });
          // Untimed: every worker connected to Redis, then a warm-up run (other items, so the cache serves
          // none of the timed ones) so that connections, pools and compiled code are as warm as in process.
          while ((await queue.workers()) < workers) await new Promise((resolve) => setTimeout(resolve, 20));
          const warm = await prepareRun(store.db, { dataset: 'jsonl', file: warmFile, methods: ['direct'], model });
          await queue.enqueueItems(await pendingJobs(store.db, warm));
          await waitForRun(store.db, warm.runId, { total: warm.total, pollMs: 20 });
          const run = await prepareRun(store.db, { dataset: 'jsonl', file, methods: ['direct'], model });
          const jobs = await pendingJobs(store.db, run);
          const children = spawned.map((s) => s.child);
          const cpuBefore = totalCpuMs(children);
          const started = performance.now();
          await queue.enqueueItems(jobs);
          const progress = await waitForRun(store.db, run.runId, { total: run.total, pollMs: 20 });
          const seconds = (performance.now() - started) / 1000;
          const cpuAfter = totalCpuMs(children);
          await queue.obliterate();
          await queue.close();
          if (progress.done !== ITEMS) throw new Error(`queued run finished ${progress.done} of ${ITEMS}`);
          const inFlight = workers * WORKER_CONCURRENCY;
          const cpuMsPerItem = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / ITEMS;
          rows.push({ mode: `${workers} worker${workers > 1 ? 's' : ''}`, inFlight, seconds, itemsPerSecond: ITEMS / seconds, ideal: (inFlight * 1000) / LATENCY_MS, cpuMsPerItem });
          process.stderr.write(`${workers} worker(s): ${seconds.toFixed(2)} s\n`);
        } finally {
          for (const s of spawned) s.child.kill('SIGTERM');
        }
      }
    } else {
      process.stderr.write('REDIS_URL is not set: the worker part is skipped\n');
    }
  } finally {
    mock.stop();
    for (const d of databases) await d.store.close();
  }
  print(rows);
}

function print(rows: Row[]): void {
  const lines = [
    `argmed eval benchmark: ${ITEMS} items, method direct, mock latency ${LATENCY_MS} ms`,
    'mode                   in flight   seconds   items/s   ideal/s   of ideal   cpu ms/item (argmed processes)',
  ];
  for (const r of rows) {
    lines.push(
      `${r.mode.padEnd(23)}${String(r.inFlight).padStart(9)}${r.seconds.toFixed(2).padStart(10)}${r.itemsPerSecond.toFixed(1).padStart(10)}${r.ideal.toFixed(0).padStart(10)}${`${((100 * r.itemsPerSecond) / r.ideal).toFixed(1)}%`.padStart(11)}${r.cpuMsPerItem === undefined ? '' : r.cpuMsPerItem.toFixed(2).padStart(12)}`,
    );
  }
  for (const c32 of rows.filter((r) => r.mode.startsWith('in-process') && r.inFlight === 32)) {
    const share = c32.itemsPerSecond / c32.ideal;
    lines.push(`target ${c32.mode} c=32 >= 80% of ideal: ${(100 * share).toFixed(1)}% ${share >= 0.8 ? 'MET' : 'MISSED'}`);
  }
  const one = rows.find((r) => r.mode === '1 worker');
  const two = rows.find((r) => r.mode === '2 workers');
  if (one && two) {
    const ratio = two.itemsPerSecond / one.itemsPerSecond;
    lines.push(`target two workers >= 1.7x one: ${ratio.toFixed(2)}x ${ratio >= 1.7 ? 'MET' : 'MISSED'}`);
  }
  const load = loadavg()[0];
  lines.push(`load average (1 min) at the end: ${load.toFixed(1)} on ${cpus().length} cores`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/eval: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
