/**
 * `argmed worker`: processes evaluation items (and, when the service enqueues them, cases) from the BullMQ
 * queue at REDIS_URL, storing results in the shared database (DATABASE_URL, PostgreSQL for several
 * machines). Any number of workers on any number of machines; a killed worker's items are retried by
 * another. Stops cleanly on SIGINT/SIGTERM (jobs in hand finish first).
 *   argmed worker [--concurrency 8] [--rate-limit N --rate-window-ms 60000] [--queue-prefix argmed]
 *                 [--heartbeat-file PATH]
 * With `--heartbeat-file` the worker rewrites the file every 10 s while it is running and its Redis answers a
 * ping, so a container healthcheck can test the file's age (docker-compose.yml).
 */
import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { Redis } from 'ioredis';
import { loadSchemes } from '../../schemes/load.js';
import { backendForConfig } from '../cases/backend-for-config.js';
import { type CaseRunner, createCaseRunner } from '../cases/case-runner.js';
import { loadConfig } from '../config.js';
import { type RunningWorker, startWorker } from '../eval/queue/start-worker.js';
import { openEvalStore } from '../eval/run/open-eval-store.js';

interface WorkerFlags {
  concurrency: string;
  rateLimit?: string;
  rateWindowMs: string;
  queuePrefix: string;
  lockMs: string;
  heartbeatFile?: string;
}

/** How often the heartbeat file is rewritten. */
const HEARTBEAT_MS = 10_000;

function positive(flag: string, value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new Error(`argmed worker: ${flag}: must be a whole number >= 1, got "${value}"`);
  }
  return Number(value);
}

async function runWorker(flags: WorkerFlags): Promise<number> {
  const config = loadConfig();
  if (!config.redisUrl) throw new Error('argmed worker: REDIS_URL is not set (redis://host:6379): the worker takes its jobs from Redis');
  const concurrency = positive('--concurrency', flags.concurrency);
  const rateLimit =
    flags.rateLimit === undefined
      ? undefined
      : { max: positive('--rate-limit', flags.rateLimit), durationMs: positive('--rate-window-ms', flags.rateWindowMs) };
  const store = await openEvalStore(config);
  let cases: CaseRunner;
  try {
    // The service's cases (enqueued by API processes with the same REDIS_URL) run with the same back-end.
    const backendFor = await backendForConfig(config, await loadSchemes(config.schemesDir));
    cases = createCaseRunner({ db: store.db, backendFor, concurrency });
  } catch (error) {
    await store.close();
    throw error;
  }
  const running = startWorker({
    config,
    db: store.db,
    redisUrl: config.redisUrl,
    prefix: flags.queuePrefix,
    concurrency,
    rateLimit,
    lockDurationMs: positive('--lock-ms', flags.lockMs),
    runCase: (caseId) => cases.runCase(caseId),
  });
  process.stderr.write(`argmed worker: processing jobs (concurrency ${concurrency})\n`);
  const probe = flags.heartbeatFile ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
  probe?.on('error', () => {});
  const heartbeat = probe
    ? setInterval(() => void beat(running.worker, probe, flags.heartbeatFile as string), HEARTBEAT_MS)
    : undefined;
  if (probe) void beat(running.worker, probe, flags.heartbeatFile as string);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stderr.write('argmed worker: stopping after the jobs in hand\n');
  clearInterval(heartbeat);
  probe?.disconnect();
  await running.close();
  await cases.close();
  await store.close();
  return 0;
}

/** Writes the heartbeat when the worker runs and its Redis connection answers; stays silent otherwise. */
async function beat(worker: RunningWorker['worker'], redis: Redis, file: string): Promise<void> {
  try {
    if (!worker.isRunning()) return;
    await redis.ping();
    await writeFile(file, new Date().toISOString());
  } catch {
    // No heartbeat: the healthcheck sees the file age and reports the worker unhealthy.
  }
}

/**
 * Registers `worker` on the argmed program.
 * @param program the root commander program (commander 14)
 */
export function registerWorker(program: Command): void {
  program.addCommand(
    new Command('worker')
      .option('--concurrency <n>', 'jobs processed at once by this worker', '8')
      .option('--rate-limit <n>', 'global limit: at most n jobs started per window, across all workers')
      .option('--rate-window-ms <ms>', 'window of --rate-limit in milliseconds', '60000')
      .option('--queue-prefix <prefix>', 'Redis key prefix of the work queue', 'argmed')
      .option('--lock-ms <ms>', 'job lock; a dead worker\'s job is retried after about this long', '30000')
      .option('--heartbeat-file <path>', 'rewrite this file every 10 s while the worker runs and Redis answers')
      .action((flags: WorkerFlags) =>
        runWorker(flags).then(
          (code) => {
            process.exitCode = code;
          },
          (error: unknown) => {
            process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
            process.exitCode = 2;
          },
        ),
      ),
  );
}
