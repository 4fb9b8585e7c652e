/**
 * Attacks on the HTTP edge of the real service, on SQLite and on PostgreSQL: each one answered with a 4xx
 * problem+json naming the field (with a stable code), and the store byte-for-byte unchanged afterwards
 * (`storeSnapshot`). Named after the defects they reproduce (issue "Hardening").
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, exampleCaseFile, type RealService, startRealService } from './support/real-service.js';
import { storeSnapshot } from './support/store-snapshot.js';

describe.each(DIALECTS)('hostile input on %s', (dialect) => {
  let service: RealService;
  beforeAll(async () => {
    service = await startRealService(dialect);
  });
  afterAll(async () => service?.dispose());

  const inject = (options: InjectOptions) => service.app.inject(options);
  const kase = (changes: Record<string, unknown> = {}) => ({
    ...exampleCaseFile('t2d-first-line-metformin'),
    ...changes,
  });

  /** Sends the request, expects a 4xx problem with `code` naming `field`, and an unchanged store. */
  async function expectRefused(
    options: InjectOptions,
    status: number,
    code: string,
    field?: string,
  ): Promise<Record<string, unknown>> {
    const before = await storeSnapshot(service.store);
    const res = await inject(options);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(problem.code).toBe(code);
    if (field !== undefined) {
      const paths = (problem.errors ?? []).map((issue: { path: string }) => issue.path);
      expect([...paths, problem.detail].join(' '), res.body).toContain(field);
    }
    expect(await storeSnapshot(service.store)).toEqual(before);
    return problem;
  }

  // Regression: on PostgreSQL a NUL in a title gave 500, a NUL in an option id was stored and the case
  // ended `failed` with the raw database error.
  it('refuses NUL and other control characters in case text, naming the field', async () => {
    const post = (payload: unknown): InjectOptions => ({
      method: 'POST',
      url: '/v1/cases',
      payload: payload as object,
    });
    await expectRefused(post(kase({ title: 'a\u0000b' })), 400, 'ARGMED_VALIDATION', 'body/title');
    const base = kase() as { options: Array<{ id: string; text: string }>; facts: unknown[] };
    const options = base.options.map((option, i) => (i === 1 ? { ...option, id: 'B\u0000' } : option));
    await expectRefused(post(kase({ options })), 400, 'ARGMED_VALIDATION', 'body/options/1/id');
    await expectRefused(
      post(kase({ question: 'which\u0007 drug?' })),
      400,
      'ARGMED_VALIDATION',
      'body/question',
    );
    await expectRefused(
      post(kase({ facts: ['plain', 'bell \u001b[31m'] })),
      400,
      'ARGMED_VALIDATION',
      'body/facts/1',
    );
    // A lone UTF-16 surrogate would be stored as U+FFFD: the text would change silently.
    const lone = `{"question":"x\\ud800y","options":[{"id":"A","text":"a"},{"id":"B","text":"b"}]}`;
    await expectRefused(
      { method: 'POST', url: '/v1/cases', payload: lone, headers: { 'content-type': 'application/json' } },
      400,
      'ARGMED_VALIDATION',
      'body/question',
    );
    // Tab, line feed and carriage return stay allowed (waited for, so no write follows the next snapshot).
    const ok = await inject({ ...post(kase({ title: 'line 1\r\n\tline 2' })), url: '/v1/cases?wait=true' });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a NUL in a case id of the path rather than reaching the database', async () => {
    await expectRefused({ method: 'GET', url: '/v1/cases/%00' }, 400, 'ARGMED_VALIDATION', 'params/id');
    await expectRefused({ method: 'DELETE', url: '/v1/cases/a%00b' }, 400, 'ARGMED_VALIDATION', 'params/id');
    await expectRefused(
      { method: 'GET', url: '/v1/cases?cursor=%00' },
      400,
      'ARGMED_VALIDATION',
      'querystring/cursor',
    );
  });

  // Regression: duplicate fact ids were accepted (option ids were not), so an explanation could cite an
  // ambiguous fact.
  it('refuses duplicate fact ids, given or automatic', async () => {
    const post = (facts: unknown[]): InjectOptions => ({
      method: 'POST',
      url: '/v1/cases',
      payload: kase({ facts }),
    });
    await expectRefused(
      post([
        { id: 'x', text: 'one' },
        { id: 'x', text: 'two' },
      ]),
      400,
      'ARGMED_VALIDATION',
      'body/facts/1/id',
    );
    // The second fact's automatic id is f2, already given to the first.
    await expectRefused(post([{ id: 'f2', text: 'one' }, 'two']), 400, 'ARGMED_VALIDATION', 'body/facts/1');
    const ok = await inject(
      post([
        { id: 'f2', text: 'one' },
        { id: 'f1', text: 'two' },
      ]),
    );
    expect(ok.statusCode).toBe(202);
  });
});
