/**
 * Server-sent events through a real listening server: live events arrive while the case runs, heartbeats keep
 * the connection alive, and a client that reconnects with Last-Event-ID gets exactly the events it missed.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCaseService } from './support/memory-case-service.js';
import { exampleCase, testApp } from './support/test-app.js';
import { readSse } from './support/read-sse.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('GET /v1/cases/:id/events over HTTP', () => {
  it('streams live events, heartbeats, and resumes after Last-Event-ID without gaps or repeats', async () => {
    const service = new MemoryCaseService({ gated: true });
    ({ app } = await testApp(service, {}, { heartbeatMs: 30 }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const submitted = await fetch(`${base}/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(exampleCase()),
    });
    const { id } = await submitted.json();

    // First connection: gets the first event live, sees a heartbeat, then disconnects before the end.
    const first = await readSse(`${base}/v1/cases/${id}/events`, {
      stopAfterEvents: 1,
      waitForHeartbeat: true,
    });
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
