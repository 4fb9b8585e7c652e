/** Case routes through app.inject over the in-memory case service: submit, wait, read, list, delete, graph. */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCaseService } from './support/memory-case-service.js';
import { exampleCase, type TestApp, testApp } from './support/test-app.js';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

async function setup(service = new MemoryCaseService(), env: Record<string, string> = {}) {
  current = await testApp(service, env);
  return { service, app: current.app, logs: current.logs };
}

describe('POST /v1/cases', () => {
  it('answers 202 with the id, a Location header and links', async () => {
    const { app, service } = await setup(new MemoryCaseService({ gated: true }));
    const res = await app.inject({ method: 'POST', url: '/v1/cases', payload: exampleCase() });
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body.id).toMatch(/[0-9a-f-]{36}/);
    expect(['queued', 'running']).toContain(body.status);
    expect(body.links).toEqual({
      self: `/v1/cases/${body.id}`,
      events: `/v1/cases/${body.id}/events`,
      graph: `/v1/cases/${body.id}/graph`,
      view: expect.stringMatching(new RegExp(`^/v1/cases/${body.id}/view\\?exp=\\d+&sig=[\\w-]{43}$`)),
    });
    expect(res.headers.location).toBe(`/v1/cases/${body.id}`);
    expect(service.records.size).toBe(1);
  });

  it('with ?wait=true answers 200 with the finished result', async () => {
    const { app } = await setup();
    const res = await app.inject({ method: 'POST', url: '/v1/cases?wait=true', payload: exampleCase() });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('decided');
    expect(body.decision).toBe('amox');
    expect(body.result.decision).toEqual({ option: 'amox', argument: 'a1' });
    expect(body.result.graph.nodes).toHaveLength(3);
  });

  it('with ?wait=true answers 202 when the case outlasts the server-side wait limit', async () => {
    const service = new MemoryCaseService({ gated: true });
    current = await testApp(service, {}, { waitLimitMs: 150 });
    const started = Date.now();
    const res = await current.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCase(),
    });
    expect(res.statusCode).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.json().status).toBe('running');
  });

  it('returns the same case for the same Idempotency-Key and body, and 409 for another body', async () => {
    const { app, service } = await setup();
    const headers = { 'idempotency-key': 'order-17' };
    const first = await app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCase(),
      headers,
    });
    const again = await app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCase(),
      headers,
    });
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(service.records.size).toBe(1);
    const other = await app.inject({
      method: 'POST',
      url: '/v1/cases',
      payload: exampleCase({ question: 'Another question?' }),
      headers,
    });
    expect(other.statusCode).toBe(409);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json().code).toBe('ARGMED_IDEMPOTENCY_CONFLICT');
    expect(service.records.size).toBe(1);
  });
});

describe('GET/DELETE /v1/cases', () => {
  it('reads a case, lists with filters and a cursor, and deletes', async () => {
    const { app } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/cases?wait=true',
        payload: exampleCase({ title: `case ${i}` }),
      });
      ids.push(res.json().id);
    }
    const one = await app.inject({ method: 'GET', url: `/v1/cases/${ids[0]}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: ids[0], status: 'decided', title: 'case 0' });

    const page1 = await app.inject({ method: 'GET', url: '/v1/cases?limit=2&status=decided' });
    expect(page1.statusCode).toBe(200);
    expect(page1.json().items).toHaveLength(2);
    const cursor = page1.json().nextCursor;
    expect(typeof cursor).toBe('string');
    const page2 = await app.inject({ method: 'GET', url: `/v1/cases?limit=2&cursor=${cursor}` });
    expect(page2.json().items).toHaveLength(1);
    const seen = [...page1.json().items, ...page2.json().items].map((c: { id: string }) => c.id).sort();
    expect(seen).toEqual([...ids].sort());

    const none = await app.inject({ method: 'GET', url: '/v1/cases?status=failed' });
    expect(none.json().items).toEqual([]);
    const future = await app.inject({ method: 'GET', url: '/v1/cases?createdAfter=2999-01-01T00:00:00Z' });
    expect(future.json().items).toEqual([]);

    const del = await app.inject({ method: 'DELETE', url: `/v1/cases/${ids[0]}` });
    expect(del.statusCode).toBe(204);
    expect(del.body).toBe('');
    const gone = await app.inject({ method: 'GET', url: `/v1/cases/${ids[0]}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().code).toBe('ARGMED_CASE_NOT_FOUND');
    const again = await app.inject({ method: 'DELETE', url: `/v1/cases/${ids[0]}` });
    expect(again.statusCode).toBe(404);
  });
});

describe('GET /v1/cases/:id/graph', () => {
  it('serves every format with its content type', async () => {
    const { app } = await setup();
    const id = (
      await app.inject({ method: 'POST', url: '/v1/cases?wait=true', payload: exampleCase() })
    ).json().id;
    const json = await app.inject({ method: 'GET', url: `/v1/cases/${id}/graph` });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    const serialised = json.json();
    expect(serialised.options.type).toBe('directed');
    expect(serialised.nodes.map((n: { key: string }) => n.key)).toEqual(['a1', 'a2', 'a3']);
    expect(serialised.edges).toHaveLength(3);
    expect(serialised.nodes[2].attributes).toMatchObject({ scheme: 'ASSE', label: 'IN' });

    const dot = await app.inject({ method: 'GET', url: `/v1/cases/${id}/graph?format=dot` });
    expect(dot.headers['content-type']).toMatch(/^text\/vnd\.graphviz/);
    expect(dot.body).toMatch(/^digraph/);

    const iccma = await app.inject({ method: 'GET', url: `/v1/cases/${id}/graph?format=iccma` });
    expect(iccma.headers['content-type']).toMatch(/^text\/plain/);
    expect(iccma.body.split('\n')[0]).toBe('p af 3');
    expect(iccma.body).toContain('# 3 a3');
    expect(iccma.body).toContain('\n3 2');

    const apx = await app.inject({ method: 'GET', url: `/v1/cases/${id}/graph?format=apx` });
    expect(apx.body).toContain('att(a3,a2).');

    const aif = await app.inject({ method: 'GET', url: `/v1/cases/${id}/graph?format=aif` });
    const doc = aif.json();
    expect(doc.nodes.filter((n: { type: string }) => n.type === 'RA')).toHaveLength(3);
    expect(doc.nodes.filter((n: { type: string }) => n.type === 'CA')).toHaveLength(3);

    const bad = await app.inject({ method: 'GET', url: `/v1/cases/${id}/graph?format=svg` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring/format');
  });

  it('answers 409 while a case has no graph, 404 for an unknown case', async () => {
    const { app } = await setup(new MemoryCaseService({ gated: true }));
    const id = (await app.inject({ method: 'POST', url: '/v1/cases', payload: exampleCase() })).json().id;
    const pending = await app.inject({ method: 'GET', url: `/v1/cases/${id}/graph` });
    expect(pending.statusCode).toBe(409);
    expect(pending.json().code).toBe('ARGMED_GRAPH_NOT_READY');
    const unknown = await app.inject({ method: 'GET', url: '/v1/cases/nope/graph' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('ARGMED_CASE_NOT_FOUND');
  });
});

describe('GET /v1/cases/:id/events (inject: a finished case)', () => {
  it('replays every event with its seq as id, honours Last-Event-ID, and ends', async () => {
    const { app, service } = await setup();
    const id = (
      await app.inject({ method: 'POST', url: '/v1/cases?wait=true', payload: exampleCase() })
    ).json().id;
    const total = service.eventLog.get(id)!.length;
    const res = await app.inject({ method: 'GET', url: `/v1/cases/${id}/events` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const ids = [...res.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(res.body).toMatch(/event: end\ndata: \{"status":"decided"\}/);
    const resumed = await app.inject({
      method: 'GET',
      url: `/v1/cases/${id}/events`,
      headers: { 'last-event-id': '4' },
    });
    const resumedIds = [...resumed.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(resumedIds[0]).toBe(5);
    expect(resumedIds).toHaveLength(total - 4);
  });
});

describe('schemes, health, metrics, docs', () => {
  it('lists schemes and reads one, 404 for an unknown one', async () => {
    const { app } = await setup();
    const list = await app.inject({ method: 'GET', url: '/v1/schemes' });
    const ids = list.json().items.map((s: { id: string }) => s.id);
    expect(ids).toContain('ASDM');
    const asdm = await app.inject({ method: 'GET', url: '/v1/schemes/ASDM' });
    expect(asdm.json().criticalQuestions.length).toBeGreaterThan(0);
    const none = await app.inject({ method: 'GET', url: '/v1/schemes/NOPE' });
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('ARGMED_SCHEME_NOT_FOUND');
  });

  it('healthz answers ok; readyz follows the injected check', async () => {
    let ready = true;
    current = await testApp(
      new MemoryCaseService(),
      {},
      {
        ready: async () =>
          ready
            ? { ready: true, checks: { database: 'ok' } }
            : { ready: false, checks: { database: 'unreachable' } },
      },
    );
    const { app } = current;
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ready',
      checks: { database: 'ok' },
    });
    ready = false;
    const down = await app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ code: 'ARGMED_NOT_READY', checks: { database: 'unreachable' } });
  });

  it('exposes request durations, cases by status, LLM calls and tokens, deliberation durations', async () => {
    const { app } = await setup();
    await app.inject({ method: 'POST', url: '/v1/cases?wait=true', payload: exampleCase() });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(
      /argmed_http_request_duration_seconds_count\{method="POST",route="\/v1\/cases",status_code="200"\} 1/,
    );
    expect(res.body).toMatch(/argmed_cases_finished_total\{status="decided"\} 1/);
    expect(res.body).toMatch(/argmed_llm_calls_total\{role="generator",cached="false"\} 1/);
    expect(res.body).toMatch(/argmed_llm_tokens_total\{direction="in"\} 100/);
    expect(res.body).toMatch(/argmed_deliberation_duration_seconds_count\{status="decided"\} 1/);
  });

  it('serves the OpenAPI document with every route, and the docs page', async () => {
    const { app } = await setup();
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/cases',
      '/v1/cases/{id}',
      '/v1/cases/{id}/events',
      '/v1/cases/{id}/graph',
      '/v1/solve',
      '/v1/schemes/{id}',
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    expect(spec.paths['/v1/cases'].post.requestBody.content['application/json'].schema.required).toContain(
      'question',
    );
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });
});
