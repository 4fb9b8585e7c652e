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
    service = await startRealService(dialect, { ARGMED_CDS_INSECURE: '1' });
  });
  afterAll(async () => service?.dispose());

  const inject = (options: InjectOptions) => service.app.inject(options);
  const kase = (changes: Record<string, unknown> = {}) => ({
    ...exampleCaseFile('t2d-first-line-metformin'),
    ...changes,
  });

  /** Submits a valid case and waits until the store is quiet again (its events and graph written). */
  async function submitAndSettle(options: InjectOptions): Promise<Record<string, unknown>> {
    const res = await inject({ ...options, url: '/v1/cases?wait=true' });
    expect(res.statusCode, res.body).toBe(200);
    let previous = await storeSnapshot(service.store);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await storeSnapshot(service.store);
      if (now.digest === previous.digest) return res.json();
      previous = now;
    }
  }

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
    const after = await storeSnapshot(service.store);
    expect(after.rows).toEqual(before.rows);
    expect(after.digest).toBe(before.digest);
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
    await submitAndSettle(post(kase({ title: 'line 1\r\n\tline 2' })));
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
    await submitAndSettle(
      post([
        { id: 'f2', text: 'one' },
        { id: 'f1', text: 'two' },
      ]),
    );
  });

  // Regression: invalid UTF-8 was stored as U+FFFD, and a body labelled charset=utf-16 was read as UTF-8.
  it('refuses bytes that are not UTF-8 and charsets other than UTF-8, on every route that reads a body', async () => {
    const valid = Buffer.from(JSON.stringify(kase({ title: 'caf\u00e9' })));
    const broken = Buffer.from(JSON.stringify(kase({ title: 'cafXX' })));
    broken.set([0xc3, 0x28], broken.indexOf('XX'));
    const json = { 'content-type': 'application/json' };
    await expectRefused(
      { method: 'POST', url: '/v1/cases', payload: broken, headers: json },
      400,
      'ARGMED_INVALID_ENCODING',
    );
    const truncated = Buffer.concat([Buffer.from('{"question":"'), Buffer.from([0xe2, 0x82])]);
    await expectRefused(
      { method: 'POST', url: '/v1/cases', payload: truncated, headers: json },
      400,
      'ARGMED_INVALID_ENCODING',
    );
    const iccma = Buffer.from('p af 2\n# \xff\n1 2\n', 'latin1');
    await expectRefused(
      { method: 'POST', url: '/v1/solve', payload: iccma, headers: { 'content-type': 'text/plain' } },
      400,
      'ARGMED_INVALID_ENCODING',
    );
    await expectRefused(
      { method: 'POST', url: '/cds-services/argmed-medication-safety', payload: broken, headers: json },
      400,
      'ARGMED_INVALID_ENCODING',
    );
    for (const charset of ['utf-16', 'UTF-16LE', '"iso-8859-1"']) {
      await expectRefused(
        {
          method: 'POST',
          url: '/v1/cases',
          payload: valid,
          headers: { 'content-type': `application/json; charset=${charset}` },
        },
        415,
        'ARGMED_UNSUPPORTED_MEDIA_TYPE',
      );
    }
    const utf16 = Buffer.from(`\ufeff${JSON.stringify(kase())}`, 'utf16le');
    await expectRefused(
      {
        method: 'POST',
        url: '/v1/cases',
        payload: utf16,
        headers: { 'content-type': 'application/json; charset=utf-16' },
      },
      415,
      'ARGMED_UNSUPPORTED_MEDIA_TYPE',
    );
    // UTF-8 (said or not) is read as sent.
    const ok = await submitAndSettle({
      method: 'POST',
      payload: valid,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    expect(ok.title).toBe('caf\u00e9');
  });
});
