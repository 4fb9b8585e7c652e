/**
 * The worker thread of `sqlite-checkpointer.ts`: its own connection to the SQLite file, a PASSIVE checkpoint
 * (never blocks readers or writers) every `everyMs`, and on any message from its parent a last checkpoint,
 * then close. A failed checkpoint is left to the next tick (or to SQLite's auto-checkpoint on the main
 * connection): the worker only moves latency off the request path.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** What the worker is started with. */
export interface CheckpointWorkerData {
  /** The SQLite file (must exist). */
  path: string;
  /** Milliseconds between checkpoints. */
  everyMs: number;
}

const port = parentPort;
if (port) {
  const { path, everyMs } = workerData as CheckpointWorkerData;
  const db = new Database(path, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
  const checkpoint = (): void => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy or locked: the next tick tries again
    }
  };
  const timer = setInterval(checkpoint, everyMs);
  port.on('message', () => {
    clearInterval(timer);
    checkpoint();
    db.close();
    port.close();
  });
}
