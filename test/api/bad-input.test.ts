/**
 * Bad input: every client error is a 4xx problem+json that names what is wrong (the field, for validation),
 * carries no stack trace, and leaves the store unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { MemoryCaseService } from './support/memory-case-service.js';
import { exampleCase, testApp } from './support/test-app.js';

let app: FastifyInstance;
let service: MemoryCaseService;

beforeAll(async () => {
  service = new MemoryCaseService();
  ({ app } = await testApp(service, { ARGMED_BODY_LIMIT: '4096' }));
});
afterAll(async () => app.close());

interface Attempt {
  name: string;
  method?: 'POST' | 'GET' | 'DELETE';
  url?: string;
  payload?: string | object;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** A field path the problem must name (in `errors`, or in `detail`). */
  field?: string;
}

const json = { 'content-type': 'application/json' };

const attempts: Attempt[] = [
  {
    name: 'malformed JSON',
    payload: '{"question": "x", "facts": [',
    headers: json,
    status: 400,
    code: 'ARGMED_MALFORMED_JSON',
  },
  { name: 'empty JSON body', payload: '', headers: json, status: 400, code: 'ARGMED_MALFORMED_JSON' },
  {
    name: 'wrong content type (text/plain)',
    payload: JSON.stringify(exampleCase()),
    headers: { 'content-type': 'text/plain' },
    status: 415,
    code: 'ARGMED_UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'unregistered content type',
    payload: '<case/>',
    headers: { 'content-type': 'application/xml' },
    status: 415,
    code: 'ARGMED_UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'missing question',
    payload: { facts: ['x'] },
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'body/question',
  },
  {
    name: 'extra field',
    payload: exampleCase({ colour: 'blue' }),
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'body/colour',
  },
  {
    name: 'wrong type',
    payload: exampleCase({ facts: 'not a list' }),
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'body/facts',
  },
  {
    name: 'wrong nested type',
    payload: exampleCase({
      options: [
        { id: 'a', text: 1 },
        { id: 'b', text: 'b' },
      ],
    }),
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'body/options/0/text',
  },
  {
    name: 'duplicate option ids',
    payload: exampleCase({
      options: [
        { id: 'a', text: 'x' },
        { id: 'a', text: 'y' },
      ],
    }),
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'body/options/1/id',
  },
  {
    name: 'bad setting',
    payload: exampleCase({ settings: { maxRounds: -1 } }),
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'body/settings/maxRounds',
  },
  {
    name: 'oversized body',
    payload: exampleCase({ facts: Array.from({ length: 60 }, () => 'x'.repeat(100)) }),
    status: 413,
    code: 'ARGMED_BODY_TOO_LARGE',
  },
  {
    name: 'bad wait flag',
    url: '/v1/cases?wait=soon',
    payload: exampleCase(),
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'querystring/wait',
  },
  {
    name: 'unknown query parameter',
    url: '/v1/cases?colour=1',
    payload: exampleCase(),
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'querystring/colour',
  },
  {
    name: 'unknown case id',
    method: 'GET',
    url: '/v1/cases/does-not-exist',
    status: 404,
    code: 'ARGMED_CASE_NOT_FOUND',
  },
  {
    name: 'delete unknown case',
    method: 'DELETE',
    url: '/v1/cases/does-not-exist',
    status: 404,
    code: 'ARGMED_CASE_NOT_FOUND',
  },
  {
    name: 'events of unknown case',
    method: 'GET',
    url: '/v1/cases/does-not-exist/events',
    status: 404,
    code: 'ARGMED_CASE_NOT_FOUND',
  },
  {
    name: 'view of unknown case',
    method: 'GET',
    url: '/v1/cases/does-not-exist/view',
    status: 404,
    code: 'ARGMED_CASE_NOT_FOUND',
  },
  {
    name: 'bad Last-Event-ID',
    method: 'GET',
    url: '/v1/cases/x/events',
    headers: { 'last-event-id': 'abc' },
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'headers/last-event-id',
  },
  {
    name: 'invalid graph format',
    method: 'GET',
    url: '/v1/cases/x/graph?format=png',
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'querystring/format',
  },
  {
    name: 'bad list status',
    method: 'GET',
    url: '/v1/cases?status=done',
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'querystring/status',
  },
  {
    name: 'bad list date',
    method: 'GET',
    url: '/v1/cases?createdAfter=yesterday',
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'querystring/createdAfter',
  },
  {
    name: 'bad list limit',
    method: 'GET',
    url: '/v1/cases?limit=0',
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'querystring/limit',
  },
  { name: 'unknown route', method: 'GET', url: '/v2/cases', status: 404, code: 'ARGMED_NOT_FOUND' },
  { name: 'method the path does not answer', method: 'DELETE', url: '/v1/schemes', status: 405, code: 'ARGMED_METHOD_NOT_ALLOWED' },
  { name: 'unknown path', method: 'DELETE', url: '/v1/nothing', status: 404, code: 'ARGMED_NOT_FOUND' },
  {
    name: 'unknown asset',
    method: 'GET',
    url: '/assets/secret.js',
    status: 400,
    code: 'ARGMED_VALIDATION',
    field: 'params/file',
  },
];

describe('bad input is a 4xx problem naming the field, and nothing is stored', () => {
  it.each(attempts)('$name', async (attempt) => {
    const before = JSON.stringify([...service.records.entries()]);
    const res = await app.inject({
      method: attempt.method ?? 'POST',
      url: attempt.url ?? '/v1/cases',
      payload: attempt.payload as string,
      headers: attempt.headers,
    });
    expect(res.statusCode).toBe(attempt.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(problem).toMatchObject({ status: attempt.status, code: attempt.code });
    expect(problem.type).toMatch(/^urn:argmed:problem:[a-z-]+$/);
    expect(typeof problem.title).toBe('string');
    expect(typeof problem.detail).toBe('string');
    expect(problem.requestId).toBe(res.headers['x-request-id']);
    expect(res.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    if (attempt.field) {
      expect(problem.detail).toContain(attempt.field);
      if (attempt.code === 'ARGMED_VALIDATION') {
        expect(problem.errors.map((e: { path: string }) => e.path)).toContain(attempt.field);
      }
    }
    expect(JSON.stringify([...service.records.entries()])).toBe(before);
  });

  it('a missing field is worded as the CLI words it: the path, then "missing (required)"', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/cases', payload: { facts: ['x'] } });
    const problem = res.json();
    expect(problem.errors).toEqual([{ path: 'body/question', message: 'missing (required)' }]);
    expect(problem.detail).toBe('body/question: missing (required)');
  });

  it('a valid case is still accepted afterwards (the checks are not simply rejecting everything)', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/cases', payload: exampleCase() });
    expect(res.statusCode).toBe(202);
  });
});
