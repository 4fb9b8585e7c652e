/**
 * `argmed serve --queue-prefix P` with REDIS_URL: the cases it accepts become jobs of the work queue under
 * the key prefix P (where `argmed worker --queue-prefix P` takes them), not under the default prefix.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionOf, QUEUE_NAME } from '../../src/queue/queue-jobs.js';
import { exampleCaseFile } from '../api/support/real-service.js';
import { cliBuilt, kill, type ServeProcess, startServeProcess } from '../api/support/serve-process.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `argmed-serve-prefix-${randomBytes(4).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'argmed-serve-prefix-'));
const queue = new Queue(QUEUE_NAME, { connection: connectionOf(REDIS_URL), prefix });
let server: ServeProcess | undefined;

afterAll(async () => {
  if (server) await kill(server.child);
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!cliBuilt)('argmed serve --queue-prefix', () => {
  it('enqueues the cases it accepts under the given prefix', async () => {
    server = await startServeProcess(
      { DATABASE_URL: `sqlite:${join(dir, 'argmed.db')}`, REDIS_URL, ARGMED_BACKEND: 'knowledge' },
      50_000,
      ['--queue-prefix', prefix],
    );
    const response = await fetch(`${server.base}/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(exampleCaseFile('t2d-first-line-metformin')),
    });
    expect(response.status).toBe(202);
    const { id } = await response.json();
    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs.map((job) => job.data)).toContainEqual({ kind: 'case', caseId: id });
    const status = (await (await fetch(`${server.base}/v1/cases/${id}`)).json()).status;
    expect(status).toBe('queued');
  }, 60_000);
});
