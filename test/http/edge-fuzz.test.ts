/**
 * A fuzz test of the HTTP edge on the real service, on SQLite and on PostgreSQL: fast-check generates a
 * route (every path and method of the OpenAPI document, plus the probes and metrics), path parameters,
 * query strings, headers and bodies (JSON, text, raw bytes, broken encodings). For every request: no 5xx;
 * every error is problem+json with a code of the one table and the status that code has; a refused request
 * leaves the store byte-for-byte unchanged. At the end the server is healthy and still decides a case.
 *
 * The run count is kept moderate (RUNS per store) so the suite stays fast: about 2-6 s per store here; raise
 * it locally (`FUZZ_RUNS=5000`) for a deeper search.
 */
import * as fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEMS } from '../../src/http/problem-codes.js';
import {
  DIALECTS,
  exampleCaseFile,
  type RealService,
  startRealService,
} from '../api/support/real-service.js';
import { storeSnapshot } from '../api/support/store-snapshot.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** Path segments an attacker tries, besides random text. */
const HOSTILE_SEGMENTS = [
  '%00',
  '%00%ff',
  '%ff',
  '%E0%A4%A',
  '..',
  '%2e%2e%2f',
  'a'.repeat(300),
  '%20',
  '\u00e9',
  '-1',
];

const segment = fc.oneof(
  fc.string({ maxLength: 40 }).map((text) => encodeURIComponent(text) || 'x'),
  fc.constantFrom(...HOSTILE_SEGMENTS),
  fc.uuid(),
  fc.constantFrom('ev-0123456789abcdef', 'ASDM', 'argmed-order-sign', 'argmed-patient-view'),
);

const queryPart = fc.oneof(
  fc
    .dictionary(
      fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('wait', 'limit', 'cursor', 'status', 'format', 'explain', 'exp', 'sig', 'api_key'),
      ),
      fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('true', '0', '-1', '1e309', 'dot', 'iccma', '%00'),
      ),
      { maxKeys: 4 },
    )
    .map((entries) =>
      Object.entries(entries)
        .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
        .join('&'),
    ),
  fc.constantFrom('', '%', 'a=%zz', '&&=&', 'limit=999999999999', 'wait=true&wait=false', '%00=%00'),
);

const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'text/plain',
      'text/plain; charset=latin1',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/fhir+json',
      '',
    ),
    fc.string({ maxLength: 40 }),
  ),
  { nil: undefined },
);

const body = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    '',
    'p af 3\n1 2\n',
    'p af 4294967294\n',
    '{"arguments":["a"],"attacks":[["a","b"]]}',
    '\u0000',
  ),
  // A valid case with one field replaced by something generated.
  fc
    .tuple(fc.constantFrom('title', 'question', 'facts', 'options', 'settings', 'goal', 'id'), fc.jsonValue())
    .map(([field, value]) =>
      JSON.stringify({ ...exampleCaseFile('t2d-first-line-metformin'), [field]: value }),
    ),
);

const headerValue = fc.string({ maxLength: 60 }).filter((value) => /^[\t\x20-\x7e]*$/.test(value));

interface Route {
  method: string;
  path: string;
}

describe.each(DIALECTS)('fuzzing the HTTP edge on %s', (dialect) => {
  let service: RealService;
  let routes: Route[] = [];
  beforeAll(async () => {
    service = await startRealService(dialect, { ARGMED_CDS_INSECURE: '1' });
    const document = service.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
    );
    routes.push(
      { method: 'GET', path: '/healthz' },
      { method: 'GET', path: '/readyz' },
      { method: 'GET', path: '/metrics' },
      { method: 'GET', path: '/{any}' },
      { method: 'PATCH', path: '/v1/cases/{id}' },
    );
  });
  afterAll(async () => service?.dispose());

  it(`answers ${RUNS} generated requests with no 5xx, problem+json errors and an unchanged store`, {
    timeout: 180_000,
  }, async () => {
    expect(routes.length).toBeGreaterThan(10);
    let baseline = await storeSnapshot(service.store);
    const counts = { '2xx': 0, '4xx': 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: routes.length - 1 }),
        fc.array(segment, { minLength: 3, maxLength: 3 }),
        queryPart,
        contentType,
        fc.option(headerValue, { nil: undefined }),
        fc.option(body, { nil: undefined }),
        async (index, segments, query, type, authorization, payload) => {
          const route = routes[index];
          let n = 0;
          const path = route.path.replace(/\{[^}]+\}/g, () => segments[n++]);
          // An existing case's event stream stays open: the fuzzer only reaches the refusals of that route.
          if (route.path.endsWith('/events') && !segments[0].includes('%')) return;
          const headers: Record<string, string> = {};
          if (type !== undefined) headers['content-type'] = type;
          if (authorization !== undefined) headers.authorization = authorization;
          const options: InjectOptions = {
            method: route.method as InjectOptions['method'],
            url: query ? `${path}?${query}` : path,
            headers,
            ...(payload !== undefined && route.method !== 'GET' && route.method !== 'HEAD'
              ? { payload: payload as string | Buffer }
              : {}),
          };
          const res = await service.app.inject(options);
          const label = `${options.method} ${options.url} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, label).toBeLessThan(500);
          if (res.statusCode >= 400) {
            counts['4xx']++;
            expect(res.headers['content-type'], label).toMatch(/^application\/problem\+json/);
            const problem = res.json();
            expect(Object.keys(PROBLEMS), label).toContain(problem.code);
            expect(PROBLEMS[problem.code as keyof typeof PROBLEMS].status, label).toBe(res.statusCode);
            expect(problem.status, label).toBe(res.statusCode);
            const after = await storeSnapshot(service.store);
            expect(after, label).toEqual(baseline);
          } else {
            counts['2xx']++;
            // An accepted request may store something (a case): wait until the store is quiet, then compare from there.
            for (;;) {
              await new Promise((resolve) => setTimeout(resolve, 20));
              const now = await storeSnapshot(service.store);
              if (now.digest === baseline.digest) break;
              baseline = now;
            }
          }
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261203) },
    );
    expect(counts['4xx']).toBeGreaterThan(RUNS / 4);

    // Healthy at the end: probes answer, and a case is still decided and stored.
    expect((await service.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await service.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const decided = await service.app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCaseFile('t2d-first-line-metformin'),
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json().status).toBe('decided');
  });
});
