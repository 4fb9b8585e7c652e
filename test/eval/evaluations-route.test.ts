/**
 * The evaluation routes over HTTP (fastify inject, a real SQLite store, the mock OpenAI server): start a
 * run, follow its progress, read its report in three formats; bad input answers problem+json naming the
 * field. (Under test/eval because the plugin is part of the evaluation feature; it mirrors
 * src/api/routes/evaluations.ts.)
 */
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemFromError } from '../../src/http/problem.js';
import { evaluationRoutes } from '../../src/api/routes/evaluations.js';
import { loadDataset } from '../../src/eval/datasets/load-dataset.js';
import type { Store } from '../../src/store/open-store.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { scriptFor } from '../support/scripted-eval-model.js';
import { sqliteStore, testConfig } from './eval-harness.js';

const fixtures = join(import.meta.dirname, 'fixtures');
let app: FastifyInstance;
let store: Store;
let mock: MockOpenAI;

beforeAll(async () => {
  const items = (await loadDataset('jsonl', join(fixtures, 'generic.jsonl'))).items;
  mock = await startMockOpenAI({ respond: scriptFor(items) });
  const opened = await sqliteStore();
  store = opened.store;
  app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => {
    const problem = problemFromError(request, error);
    return reply.code(problem.status).type('application/problem+json').send(problem);
  });
  await app.register(evaluationRoutes, {
    prefix: '/v1',
    config: testConfig(opened.url, mock.url),
    store,
    datasetsDir: fixtures,
    concurrency: 2,
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await store?.close();
  await mock?.close();
});

describe('POST /v1/evaluations', () => {
  it('starts a run, reports progress and serves the report', async () => {
    const body = { dataset: 'jsonl', file: 'generic.jsonl', methods: ['argmed', 'direct'] };
    const created = await app.inject({ method: 'POST', url: '/v1/evaluations', payload: body });
    expect(created.statusCode).toBe(202);
    const { id } = created.json();
    expect(id).toMatch(/^ev-[0-9a-f]{16}$/);
    expect(created.headers.location).toBe(`/v1/evaluations/${id}`);
    let progress = created.json();
    for (let i = 0; i < 200 && progress.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      progress = (await app.inject({ url: `/v1/evaluations/${id}` })).json();
    }
    expect(progress).toMatchObject({ status: 'done', total: 4, done: 4, failed: 0 });
    expect(progress.perMethod.direct.done).toBe(2);
    const again = await app.inject({ method: 'POST', url: '/v1/evaluations', payload: body });
    expect(again.json().id).toBe(id);
    const json = await app.inject({ url: `/v1/evaluations/${id}/report` });
    expect(json.json().summaries.map((s: { method: string }) => s.method)).toEqual(['argmed', 'direct']);
    const html = await app.inject({ url: `/v1/evaluations/${id}/report?format=html` });
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('/v1/cases/');
    const csv = await app.inject({ url: `/v1/evaluations/${id}/report?format=csv` });
    expect(csv.body.split('\n')[0]).toMatch(/^item,method/);
  });

  // Regression: any file under the working directory was read (`data/argmed.db`, `.git/config` accepted, the
  // run ending `done` with 0 items), and a missing file's error showed the absolute server path.
  it('reads dataset files only from the datasets folder, by name, naming the field and no server path', async () => {
    for (const file of [
      '/etc/passwd',
      join(fixtures, 'generic.jsonl'),
      '../../../package.json',
      'sub/../generic.jsonl',
      '.git/config',
      'a\\b.jsonl',
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/evaluations',
        payload: { dataset: 'jsonl', file, methods: ['direct'] },
      });
      expect(res.statusCode, file).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().errors[0].path).toBe('body/file');
      expect(res.body).not.toContain(fixtures);
    }
  });

  it('reports a missing dataset file as a 400 on body/file without the server path', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/evaluations',
      payload: { dataset: 'jsonl', file: 'missing.jsonl', methods: ['direct'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/no dataset file named "missing.jsonl"/);
    expect(res.body).not.toContain(fixtures);
  });

  it('fails a run of a file with no readable item, with the reason, instead of ending done', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/evaluations',
      payload: { dataset: 'jsonl', file: 'generic.jsonl', methods: ['direct'], offset: 1000 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/no readable items in "generic.jsonl"/);
    expect(res.body).not.toContain(fixtures);
  });

  it('rejects an unknown method', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/evaluations',
      payload: { dataset: 'jsonl', file: 'generic.jsonl', methods: ['guess'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ARGMED_VALIDATION');
  });
});

describe('GET /v1/evaluations/:id', () => {
  it('404 for an unknown run, 400 for a malformed id', async () => {
    const missing = await app.inject({ url: '/v1/evaluations/ev-0000000000000000' });
    expect(missing.statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/evaluations/ev-0000000000000000/report' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/evaluations/nonsense' })).statusCode).toBe(400);
  });
});
