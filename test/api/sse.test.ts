/**
 * Server-sent events through a real listening server: live events arrive while the case runs, heartbeats keep
 * the connection alive, and a client that reconnects with Last-Event-ID gets exactly the events it missed.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryCaseService } from './support/memory-case-service.js';
import { exampleCase, testApp } from './support/test-app.js';
import { readSse } from './support/read-sse.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await app?.close();
  app = undefined;
});

/** The heartbeat period of production (src/http/build-app.ts), run on a fake clock. */
const HEARTBEAT_MS = 15_000;

/** Settles with `reading`, moving the fake clock a heartbeat period at a time until it does. */
async function withHeartbeats<T>(reading: Promise<T>): Promise<T> {
  let settled = false;
  const done = reading.finally(() => {
    settled = true;
  });
  while (!settled) {
    vi.advanceTimersByTime(HEARTBEAT_MS);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return done;
}

describe('GET /v1/cases/:id/events over HTTP', () => {
  it('streams live events, heartbeats, and resumes after Last-Event-ID without gaps or repeats', async () => {
    // Only the stream's heartbeat interval is faked: the socket and the test's waits run in real time.
    vi.useFakeTimers({ toFake: ['setInterval'] });
    const service = new MemoryCaseService({ gated: true });
    ({ app } = await testApp(service, {}, { heartbeatMs: HEARTBEAT_MS }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const submitted = await fetch(`${base}/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(exampleCase()),
    });
    const { id } = await submitted.json();

    // First connection: gets the first event live, sees a heartbeat, then disconnects before the end.
    const first = await withHeartbeats(
      readSse(`${base}/v1/cases/${id}/events`, { stopAfterEvents: 1, waitForHeartbeat: true }),
    );
    expect(first.status).toBe(200);
    expect(first.events.map((e) => e.id)).toEqual([1]);
    expect(first.heartbeats).toBeGreaterThan(0);

    // The case goes on while nobody listens; then a reconnect with Last-Event-ID gets the rest, live.
    const resumed = readSse(`${base}/v1/cases/${id}/events`, { lastEventId: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    service.release();
    const rest = await resumed;
    const all = service.eventLog.get(id)!;
    expect(rest.events.filter((e) => e.id !== undefined).map((e) => e.id)).toEqual(
      all.slice(1).map((e) => e.seq),
    );
    expect(rest.events.at(-1)).toMatchObject({ event: 'end', data: { status: 'decided' } });
    const decided = rest.events.find((e) => e.event === 'decided');
    expect(decided?.data).toMatchObject({ status: 'decided', decision: { option: 'amox' } });
  });
});
