/**
 * Restart: `argmed serve` is killed (SIGKILL) while a case is running; started again on the same database, it
 * finds the case and re-runs it (here to a decision, with the offline back-end), never leaving it running.
 * Also: a bad setting stops start-up naming the variable; without API keys the server says it is loopback-only.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMockOpenAI } from '../support/mock-openai-server.js';
import { exampleCaseFile } from './support/real-service.js';
import { CLI, cliBuilt, kill, type ServeProcess, startServeProcess } from './support/serve-process.js';

const dir = mkdtempSync(join(tmpdir(), 'argmed-restart-'));
const started: ServeProcess[] = [];
afterAll(async () => {
  for (const process of started) await kill(process.child);
  rmSync(dir, { recursive: true, force: true });
});

async function waitForStatus(
  base: string,
  id: string,
  wanted: (status: string) => boolean,
  timeoutMs = 60_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await (await fetch(`${base}/v1/cases/${id}`)).json();
    if (wanted(body.status)) return body;
    if (Date.now() > deadline) throw new Error(`case ${id} stayed ${body.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!cliBuilt)('argmed serve as a process', () => {
  it('re-runs a case that was running when the server was killed', async () => {
    // A model server that never answers keeps the first run's case running.
    const mock = await startMockOpenAI({ respond: () => ({ hang: true }) });
    const database = `sqlite:${join(dir, 'argmed.db')}`;
    try {
      const first = await startServeProcess({
        DATABASE_URL: database,
        ARGMED_BACKEND: 'openai',
        ARGMED_LLM_BASE_URL: mock.url,
        ARGMED_LLM_API_KEY: 'test',
        ARGMED_LLM_TIMEOUT_MS: '600000',
      });
      started.push(first);
      const submitted = await fetch(`${first.base}/v1/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(exampleCaseFile('t2d-first-line-metformin')),
      });
      expect(submitted.status).toBe(202);
      const { id } = await submitted.json();
      await waitForStatus(first.base, id, (status) => status === 'running');
      // Kill it only once a model call is pending: the deliberation is under way.
      for (let waited = 0; mock.requests.length === 0 && waited < 30_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(mock.requests.length).toBeGreaterThan(0);
      await kill(first.child, 'SIGKILL');

      // Same database, the offline back-end: recovery at start takes the case over and finishes it.
      const second = await startServeProcess({ DATABASE_URL: database, ARGMED_BACKEND: 'knowledge' });
      started.push(second);
      expect(second.output()).toMatch(/recovered: +1 case\(s\) re-run, 0 marked failed/);
      const done = await waitForStatus(
        second.base,
        id,
        (status) => status !== 'running' && status !== 'queued',
      );
      expect(['decided', 'failed']).toContain(done.status);
      expect(done.status).toBe('decided');
      const health = await fetch(`${second.base}/readyz`);
      expect(health.status).toBe(200);
      await kill(second.child, 'SIGTERM');
    } finally {
      await mock.close();
    }
    // Two process starts: slow on a loaded machine.
  }, 120_000);

  it('stops with the variable name on a bad setting', () => {
    const result = spawnSync(process.execPath, [CLI, 'serve'], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^argmed serve: PORT: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('says it listens on loopback only without API keys', async () => {
    const server = await startServeProcess({
      DATABASE_URL: `sqlite:${join(dir, 'loopback.db')}`,
      HOST: '0.0.0.0',
    });
    started.push(server);
    expect(server.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.output()).toMatch(
      /No API keys are set, so the service ignores HOST=0\.0\.0\.0 and listens on 127\.0\.0\.1 only/,
    );
    await kill(server.child, 'SIGTERM');
  }, 60_000);
});
