/**
 * Regression: with the database down while running, `/v1` answered 500 `ARGMED_INTERNAL`. Now 503
 * `ARGMED_STORE_UNAVAILABLE` with `Retry-After`, and the service recovers by itself once the database is back.
 * The outage is real: on PostgreSQL the service reaches the machine's server through a TCP relay this test
 * owns and closes (the shared server itself is never touched). On SQLite an open connection keeps reading
 * its file through its own descriptor and cache, so the test checks that the driver's errors of a file that
 * cannot be used (not a database, read-only) are the ones mapped to 503, and a bug is not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { InjectOptions } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../../src/store/store-unavailable.js';
import {
  exampleCaseFile,
  POSTGRES_URL,
  type RealService,
  startRealService,
} from '../api/support/real-service.js';

/** A TCP relay to PostgreSQL that can be stopped (connections cut, new ones refused) and started again. */
class Relay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: URL) {}

  async start(): Promise<void> {
    if (this.server?.listening) return;
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(Number(this.target.port || 5432), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

async function expectUnavailable(service: RealService, options: InjectOptions): Promise<void> {
  const res = await service.app.inject(options);
  expect(res.statusCode, `${options.method} ${options.url}: ${res.body}`).toBe(503);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['retry-after']).toBe('5');
  expect(res.json()).toMatchObject({ code: 'ARGMED_STORE_UNAVAILABLE', status: 503 });
}

const requests = (id: string): InjectOptions[] => [
  { method: 'GET', url: '/v1/cases' },
  { method: 'GET', url: `/v1/cases/${id}` },
  { method: 'POST', url: '/v1/cases', payload: exampleCaseFile('t2d-first-line-metformin') },
  { method: 'DELETE', url: `/v1/cases/${id}` },
];

describe('database down while running', { timeout: 60_000 }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('PostgreSQL: 503 with Retry-After while the server is unreachable, then back to normal', async () => {
    const relay = new Relay(new URL(POSTGRES_URL));
    await relay.start();
    const url = new URL(POSTGRES_URL);
    url.hostname = '127.0.0.1';
    url.port = String(relay.port);
    const service = await startRealService('postgres', { DATABASE_URL: url.toString() });
    cleanups.push(async () => {
      await relay.start().catch(() => {});
      await service.dispose();
      await relay.stop();
    });
    const created = await service.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCaseFile('t2d-first-line-metformin'),
    });
    expect(created.statusCode).toBe(200);
    const id = created.json().id as string;

    await relay.stop();
    for (const request of requests(id)) await expectUnavailable(service, request);
    expect((await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    expect((await service.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect(service.logs.text).not.toMatch(/"code":"ARGMED_INTERNAL"/);

    await relay.start();
    const again = await service.app.inject({ method: 'GET', url: `/v1/cases/${id}` });
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('decided');
    expect((await service.app.inject({ method: 'GET', url: '/v1/cases' })).json().items).toHaveLength(1);
  });

  it('SQLite: the driver errors of a file that cannot be used are told apart from bugs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'argmed-outage-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const garbage = join(dir, 'not-a-database.db');
    writeFileSync(garbage, Buffer.alloc(4096, 0x41));
    const errorOf = (run: () => unknown): unknown => {
      try {
        run();
      } catch (error) {
        return error;
      }
      throw new Error('expected an error');
    };
    const notADatabase = errorOf(() => new Database(garbage).prepare('select * from cases').all());
    expect((notADatabase as { code: string }).code).toBe('SQLITE_NOTADB');
    expect(isStoreUnavailable(notADatabase)).toBe(true);
    const readOnly = join(dir, 'read-only.db');
    new Database(readOnly).exec('create table t (x)');
    const refused = errorOf(() =>
      new Database(readOnly, { readonly: true }).exec('insert into t values (1)'),
    );
    expect(isStoreUnavailable(refused)).toBe(true);
    // A bug (a bad query) stays a 500.
    const bug = errorOf(() => new Database(readOnly).prepare('select nope from t').all());
    expect(isStoreUnavailable(bug)).toBe(false);
    expect(isStoreUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});
