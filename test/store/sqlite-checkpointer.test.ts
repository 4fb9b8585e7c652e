/**
 * The WAL checkpointer's worker (src/store/sqlite-checkpoint-worker.ts, run from the build: `npm run build`
 * first) copies committed pages into the database file while the main connection never checkpoints.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startSqliteCheckpointer } from '../../src/store/sqlite-checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'argmed-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startSqliteCheckpointer', () => {
  it('checkpoints the WAL into the database file from its worker, and stops', async () => {
    const path = join(dir, 'wal.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table t (x text)');
    const insert = db.prepare('insert into t values (?)');
    for (let i = 0; i < 500; i++) insert.run('x'.repeat(1000));
    const before = statSync(path).size;
    const checkpointer = startSqliteCheckpointer(path, 10);
    await expect.poll(() => statSync(path).size, { timeout: 5_000, interval: 20 }).toBeGreaterThan(before);
    await checkpointer.stop();
    await checkpointer.stop();
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 500 });
    db.close();
  });
});
