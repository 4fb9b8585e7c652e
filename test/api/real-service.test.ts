/**
 * The real app over the real case service, store and knowledge back-end, on SQLite and on PostgreSQL:
 * a case end to end through app.inject, the graph exports agreeing with the result, SSE over a listening
 * server with Last-Event-ID resume, bad input leaving the store unchanged, deletion, readiness.
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from './support/read-sse.js';
import { DIALECTS, exampleCaseFile, type RealService, startRealService } from './support/real-service.js';

describe.each(DIALECTS)('real service on %s', (dialect) => {
  let service: RealService;
  let base: string;
  beforeAll(async () => {
    service = await startRealService(dialect);
    base = await service.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => service?.dispose());

  const inject = (opts: InjectOptions) => service.app.inject(opts);
  const count = async () => (await inject({ method: 'GET', url: '/v1/cases?limit=200' })).json().items.length;

  it('is ready once migrated', async () => {
    const res = await inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks.database).toBe('ok');
  });

  it('decides an example case with ?wait=true, and its graph exports agree with the result', async () => {
    const kase = exampleCaseFile('t2d-first-line-metformin');
    const res = await inject({ method: 'POST', url: '/v1/cases?wait=true', payload: kase });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('decided');
    expect(body.result.decision.option).toBe(body.decision);
    const { nodes, attacks } = body.result.graph;
    expect(nodes.length).toBeGreaterThan(1);

    const again = (await inject({ method: 'GET', url: `/v1/cases/${body.id}` })).json();
    expect(again.result.decision).toEqual(body.result.decision);

    const graph = (await inject({ method: 'GET', url: `/v1/cases/${body.id}/graph?format=json` })).json();
    expect(graph.nodes.map((n: { key: string }) => n.key).sort()).toEqual(
      nodes.map((n: { id: string }) => n.id).sort(),
    );
    expect(graph.edges).toHaveLength(attacks.length);
    const iccma = (await inject({ method: 'GET', url: `/v1/cases/${body.id}/graph?format=iccma` })).body;
    expect(iccma.split('\n')[0]).toBe(`p af ${nodes.length}`);
    const decisionNode = nodes.find((n: { id: string }) => n.id === body.result.decision.argument);
    expect(decisionNode.label).toBe('IN');

    // The solver route agrees with the stored labels.
    const solved = await inject({
      method: 'POST',
      url: '/v1/solve',
      payload: {
        arguments: nodes.map((n: { id: string }) => n.id),
        attacks: attacks.map((a: { from: string; to: string }) => [a.from, a.to]),
      },
    });
    for (const node of nodes) expect(solved.json().labels[node.id]).toBe(node.label);
  });

  it('streams events over HTTP and resumes with Last-Event-ID without gaps', async () => {
    const kase = exampleCaseFile('oa-naproxen-with-ppi');
    const submitted = await fetch(`${base}/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(kase),
    });
    expect(submitted.status).toBe(202);
    const { id } = await submitted.json();
    const first = await readSse(`${base}/v1/cases/${id}/events`, { stopAfterEvents: 2 });
    const seen = first.events.filter((e) => e.id !== undefined).map((e) => e.id!);
    expect(seen.slice(0, 2)).toEqual([1, 2]);
    const rest = await readSse(`${base}/v1/cases/${id}/events`, { lastEventId: seen.at(-1) });
    const restIds = rest.events.filter((e) => e.id !== undefined).map((e) => e.id!);
    const all = [...seen, ...restIds];
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(rest.events.at(-1)?.event).toBe('end');
    const full = await readSse(`${base}/v1/cases/${id}/events`);
    expect(full.events.filter((e) => e.id !== undefined)).toHaveLength(all.length);
    expect(full.events.map((e) => e.event)).toContain('decided');
  });

  it('rejects bad input with problem+json and stores nothing', async () => {
    const before = await count();
    const bad = [
      inject({
        method: 'POST',
        url: '/v1/cases',
        headers: { 'content-type': 'application/json' },
        payload: '{"question":',
      }),
      inject({ method: 'POST', url: '/v1/cases', payload: { facts: [] } }),
      inject({ method: 'POST', url: '/v1/cases', payload: { question: 'q?', unknown: 1 } }),
      inject({
        method: 'POST',
        url: '/v1/cases',
        payload: { question: 'q?', options: [{ id: 'a', text: 'x' }] },
      }),
      inject({
        method: 'POST',
        url: '/v1/cases',
        headers: { 'content-type': 'text/plain' },
        payload: 'question?',
      }),
    ];
    for (const res of await Promise.all(bad)) {
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await count()).toBe(before);
  });

  it('names the cursor when it is not one the service issued', async () => {
    const res = await inject({ method: 'GET', url: '/v1/cases?cursor=not-a-cursor' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().code).toBe('ARGMED_VALIDATION');
    expect(res.json().detail).toMatch(/cursor/);
  });

  it('keeps one case per Idempotency-Key, and deletes a case with its graph and events', async () => {
    const kase = exampleCaseFile('aspirin-primary-prevention');
    const headers = { 'idempotency-key': `k-${dialect}` };
    const a = await inject({ method: 'POST', url: '/v1/cases?wait=true', payload: kase, headers });
    const b = await inject({ method: 'POST', url: '/v1/cases?wait=true', payload: kase, headers });
    expect(b.json().id).toBe(a.json().id);
    const conflict = await inject({
      method: 'POST',
      url: '/v1/cases',
      payload: { ...kase, question: 'Other?' },
      headers,
    });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().code).toBe('ARGMED_IDEMPOTENCY_CONFLICT');

    const id = a.json().id;
    expect((await inject({ method: 'DELETE', url: `/v1/cases/${id}` })).statusCode).toBe(204);
    for (const url of [
      `/v1/cases/${id}`,
      `/v1/cases/${id}/graph`,
      `/v1/cases/${id}/events`,
      `/v1/cases/${id}/view`,
    ]) {
      const res = await inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('ARGMED_CASE_NOT_FOUND');
    }
    expect((await inject({ method: 'DELETE', url: `/v1/cases/${id}` })).statusCode).toBe(404);
  });

  it('counts finished cases and deliberations in /metrics, and logs no case text', async () => {
    const metrics = (await inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/argmed_cases_finished_total\{status="decided"\} [1-9]/);
    expect(metrics).toMatch(/argmed_deliberation_duration_seconds_count\{status="decided"\} [1-9]/);
    const kase = exampleCaseFile('t2d-first-line-metformin') as {
      facts: Array<{ text: string }>;
      question: string;
    };
    for (const fact of kase.facts) expect(service.logs.text).not.toContain(fact.text.slice(0, 40));
    expect(service.logs.text).not.toContain(kase.question);
  });
});
