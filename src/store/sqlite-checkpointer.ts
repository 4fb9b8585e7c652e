/**
 * Moves SQLite's WAL checkpoints off the request path. By default the connection that commits the
 * 1000th page of the write-ahead log copies it back into the database file and syncs it, inside that
 * commit, so every hundredth case or so pays tens of milliseconds (measured here: p99 of a knowledge-back-end
 * case 100+ ms with it, ~60 ms without). Instead a worker thread with its own connection runs a PASSIVE
 * checkpoint (never blocks readers or writers) every `everyMs`; the main connection keeps a high
 * auto-checkpoint threshold only as a safety net should the worker fall behind.
 * The worker starts once the WAL holds pages (checked every `everyMs`), not when the store opens: starting a
 * worker thread costs about 0.1 s of CPU, which a service start need not pay before there is a write
 * (`npm run bench:startup`).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../../schemes/package-root.js';
import type { CheckpointWorkerData } from './sqlite-checkpoint-worker.js';

/**
 * The compiled worker module: beside this file once built; from the sources (vitest) the build's copy, when
 * there is one. Undefined when neither exists.
 */
function workerUrl(): URL | undefined {
  const beside = new URL('./sqlite-checkpoint-worker.js', import.meta.url);
  if (existsSync(beside)) return beside;
  const built = join(packageRoot(), 'dist/src/store/sqlite-checkpoint-worker.js');
  return existsSync(built) ? pathToFileURL(built) : undefined;
}

export interface SqliteCheckpointer {
  /** Runs a last checkpoint and stops the worker. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing the WAL of the SQLite file at `path` in a worker thread, from the first tick at which
 * the WAL is not empty. Neither the worker (`sqlite-checkpoint-worker.ts`) nor the tick keeps the process
 * alive. A worker that fails to start, or a source tree never built, leaves SQLite's own auto-checkpoint in
 * charge (nothing is lost, only the latency benefit).
 */
export function startSqliteCheckpointer(path: string, everyMs = 1000): SqliteCheckpointer {
  const url = workerUrl();
  if (url === undefined) return { stop: () => Promise.resolve() };
  let worker: { thread: Worker; exited: Promise<void> } | undefined;
  const waiting = setInterval(() => {
    if (walBytes(path) === 0) return;
    clearInterval(waiting);
    const workerData: CheckpointWorkerData = { path, everyMs };
    const thread = new Worker(url, { workerData });
    thread.unref();
    thread.on('error', () => {});
    worker = { thread, exited: new Promise<void>((resolve) => thread.once('exit', () => resolve())) };
  }, everyMs);
  waiting.unref();
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      clearInterval(waiting);
      stopping ??= worker ? stopWorker(worker) : Promise.resolve();
      return stopping;
    },
  };
}

/** The size of the WAL of the database at `path`; 0 when there is none or it cannot be read. */
function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    return 0;
  }
}

/** Asks the worker for a last checkpoint and waits for it to exit (terminated after 2 s). */
async function stopWorker({ thread, exited }: { thread: Worker; exited: Promise<void> }): Promise<void> {
  thread.postMessage('stop');
  const timeout = setTimeout(() => void thread.terminate(), 2_000);
  await exited;
  clearTimeout(timeout);
}
