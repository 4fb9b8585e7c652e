/**
 * Attacks on the HTTP edge of the real service, on SQLite and on PostgreSQL: each one answered with a 4xx
 * problem+json naming the field (with a stable code), and the store byte-for-byte unchanged afterwards
 * (`storeSnapshot`). Named after the defects they reproduce (issue "Hardening").
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, exampleCaseFile, type RealService, startRealService } from './support/real-service.js';
import { storeSnapshot } from './support/store-snapshot.js';

const DATASETS = fileURLToPath(new URL('../eval/fixtures/', import.meta.url));

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
    const surrogate = await expectRefused(
      { method: 'POST', url: '/v1/cases', payload: lone, headers: { 'content-type': 'application/json' } },
      400,
      'ARGMED_VALIDATION',
      'body/question',
    );
    expect(JSON.stringify(surrogate)).toContain('U+D800, half of a UTF-16 surrogate pair');
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
    // Ids a reader cannot tell apart: an invisible character, or the same letters in another Unicode form.
    for (const [first, second, why] of [
      ['x', 'x\u200b', 'invisible formatting character U+200B'],
      ['r\u00e9nal', 're\u0301nal', 'looks the same as the id'],
    ]) {
      const facts = [
        { id: first, text: 'one' },
        { id: second, text: 'two' },
      ];
      const problem = await expectRefused(post(facts), 400, 'ARGMED_VALIDATION', 'body/facts/1/id');
      expect(JSON.stringify(problem)).toContain(why);
    }
    const options = [
      { id: 'A', text: 'Metformin' },
      { id: '\u202eA', text: 'Gliclazide' },
    ];
    await expectRefused(
      { method: 'POST', url: '/v1/cases', payload: kase({ options }) },
      400,
      'ARGMED_VALIDATION',
      'body/options/1/id',
    );
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
  // Regression: Content-Encoding was ignored: a body labelled gzip but sent plain was stored as a case (202),
  // and a real gzip body was refused as "not valid UTF-8", which it was not meant to be.
  it('refuses a body with a content coding (gzip, br, deflate) with 415, and accepts identity', async () => {
    const body = JSON.stringify(kase());
    for (const coding of ['gzip', 'br', 'deflate', 'gzip, identity']) {
      await expectRefused(
        {
          method: 'POST',
          url: '/v1/cases',
          payload: body,
          headers: { 'content-type': 'application/json', 'content-encoding': coding },
        },
        415,
        'ARGMED_UNSUPPORTED_MEDIA_TYPE',
        'Content-Encoding',
      );
    }
    await expectRefused(
      {
        method: 'POST',
        url: '/v1/cases',
        payload: gzipSync(body),
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      },
      415,
      'ARGMED_UNSUPPORTED_MEDIA_TYPE',
    );
    await submitAndSettle({
      method: 'POST',
      payload: body,
      headers: { 'content-type': 'application/json', 'content-encoding': 'identity' },
    });
  });
  // Regression: an override's comment or reason display with a NUL or a lone surrogate answered 200, then
  // on PostgreSQL the override was silently not argued into the case (database error 22021, logged only),
  // and on SQLite it was stored with the NUL, or with U+FFFD in place of the surrogate.
  it('refuses control characters in CDS feedback, naming the field, and argues nothing', async () => {
    const call = await inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign',
      payload: JSON.parse(readFileSync(new URL('../cds/fixtures/order-sign.json', import.meta.url), 'utf8')),
    });
    expect(call.statusCode, call.body.slice(0, 300)).toBe(200);
    const card = call.json().cards[0];
    const reason = card.overrideReasons[0];
    let previous = await storeSnapshot(service.store);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const now = await storeSnapshot(service.store);
      if (now.digest === previous.digest) break;
      previous = now;
    }
    const feedback = (overrideReason: object): InjectOptions => ({
      method: 'POST',
      url: '/cds-services/argmed-order-sign/feedback',
      payload: {
        feedback: [{ card: card.uuid, outcome: 'overridden', overrideReason, outcomeTimestamp: new Date().toISOString() }],
      },
    });
    await expectRefused(
      feedback({ reason, userComment: 'x\u0000y' }),
      400,
      'ARGMED_CDS_INVALID_REQUEST',
      'feedback/0/overrideReason/userComment',
    );
    await expectRefused(
      { ...feedback({}), payload: `{"feedback":[{"card":"${card.uuid}","outcome":"overridden","overrideReason":{"userComment":"x\\ud800y"},"outcomeTimestamp":"${new Date().toISOString()}"}]}`, headers: { 'content-type': 'application/json' } },
      400,
      'ARGMED_CDS_INVALID_REQUEST',
      'feedback/0/overrideReason/userComment',
    );
    await expectRefused(
      feedback({ reason: { ...reason, display: 'a\u0007' } }),
      400,
      'ARGMED_CDS_INVALID_REQUEST',
      'feedback/0/overrideReason/reason/display',
    );
  });
  // Regression: the graph of a failed case answered "is failed and has no graph yet" (docs: "retry later"),
  // though a failed case never gets one.
  it('says a failed case has no graph for good, in every export format', async () => {
    const failed = await inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: kase({ settings: { backend: 'openai' } }),
    });
    expect(failed.statusCode, failed.body.slice(0, 300)).toBe(200);
    expect(failed.json().status).toBe('failed');
    for (const format of ['json', 'dot', 'aif', 'iccma', 'apx']) {
      const problem = await expectRefused(
        { method: 'GET', url: `/v1/cases/${failed.json().id}/graph?format=${format}` },
        409,
        'ARGMED_GRAPH_NOT_READY',
      );
      expect(problem.detail).toMatch(/failed and has no argument graph: it will not get one/);
    }
  });
});

describe.each(DIALECTS)('hostile contributions and ratings on %s', (dialect) => {
  let service: RealService;
  beforeAll(async () => {
    service = await startRealService(dialect, { ARGMED_DATASETS_DIR: DATASETS });
  });
  afterAll(async () => service?.dispose());

  const inject = (options: InjectOptions) => service.app.inject(options);

  /** Sends the request, expects a 400 problem naming `field`, and an unchanged store. */
  async function expectRefused(options: InjectOptions, field: string): Promise<void> {
    const before = await storeSnapshot(service.store);
    const res = await inject(options);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = res.json();
    expect(problem.code).toBe('ARGMED_VALIDATION');
    expect([...(problem.errors ?? []).map((issue: { path: string }) => issue.path), problem.detail].join(' ')).toContain(
      field,
    );
    const after = await storeSnapshot(service.store);
    expect(after.digest).toBe(before.digest);
  }

  // Regression: a control character in a contribution was stored into the case (SQLite) and the case then
  // failed its own schema on every read: GET /v1/cases/:id and every later contribution answered 500. On
  // PostgreSQL a NUL in a reason was a 500 from the database.
  it('refuses control characters in contributed facts, arguments and reasons; the case stays readable', async () => {
    const decided = await inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      payload: exampleCaseFile('oa-naproxen-with-ppi'),
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const { id, result } = decided.json();
    const mitigation: string = result.graph.nodes.find((n: { scheme: string }) => n.scheme === 'MITIG').id;
    const fact = (payload: object): InjectOptions => ({ method: 'POST', url: `/v1/cases/${id}/facts`, payload });
    const argument = (changes: object): InjectOptions => ({
      method: 'POST',
      url: `/v1/cases/${id}/arguments`,
      payload: {
        scheme: 'EVID',
        premises: ['She stopped omeprazole for diarrhoea.'],
        conclusion: 'A proton pump inhibitor cannot be used.',
        attacks: [{ target: mitigation }],
        reason: 'intolerance',
        ...changes,
      },
    });
    await expectRefused(fact({ fact: { text: 'new\u0000fact' }, reason: 'r' }), 'body/fact/text');
    await expectRefused(fact({ fact: { text: 'ok', source: 'Observation/1\u0000' }, reason: 'r' }), 'body/fact/source');
    await expectRefused(fact({ fact: { id: 'f\u0007', text: 'ok' }, reason: 'r' }), 'body/fact/id');
    await expectRefused(fact({ fact: { text: 'ok', codes: ['a\u001b'] }, reason: 'r' }), 'body/fact/codes/0');
    await expectRefused(fact({ fact: { text: 'ok' }, reason: 'why\u0000' }), 'body/reason');
    await expectRefused(argument({ premises: ['a\u0000b'] }), 'body/premises/0');
    await expectRefused(argument({ conclusion: '\ud800' }), 'body/conclusion');
    await expectRefused(argument({ source: 'x\u0000' }), 'body/source');
    await expectRefused(argument({ reason: 'x\u0000' }), 'body/reason');
    const contributed = await inject(argument({}));
    expect(contributed.statusCode, contributed.body).toBe(201);
    const added: string = contributed.json().revision.change.argument;
    await expectRefused(
      { method: 'DELETE', url: `/v1/cases/${id}/arguments/${added}?reason=a%00b` },
      'querystring/reason',
    );
    // Still readable and contestable.
    expect((await inject({ method: 'GET', url: `/v1/cases/${id}` })).statusCode).toBe(200);
    const later = await inject(fact({ fact: { text: 'Takes no other NSAID.' }, reason: 'checked' }));
    expect(later.statusCode, later.body).toBe(201);
  });

  // Regression: on PostgreSQL a NUL in a rater's name or comment was a 500 from the database; in an imported
  // CSV it was a 500 after the rows before it had been stored, though the import is all rows or none.
  it('refuses control characters in ratings, from the page form or an imported CSV', async () => {
    const started = await inject({
      method: 'POST',
      url: '/v1/evaluations',
      payload: { dataset: 'jsonl', file: 'rating.jsonl', methods: ['argmed'], backend: 'knowledge' },
    });
    expect(started.statusCode, started.body).toBe(202);
    const { id } = started.json();
    let status = 'running';
    for (let i = 0; i < 400 && status === 'running'; i++) {
      status = (await inject({ method: 'GET', url: `/v1/evaluations/${id}` })).json().status;
      if (status === 'running') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('done');
    const page = await inject({ method: 'GET', url: `/v1/evaluations/${id}/rate?rater=ann` });
    const unit = /name="unit" value="([0-9a-f]{16})"/.exec(page.body)?.[1];
    expect(unit, page.body.slice(0, 300)).toBeDefined();
    const form = (fields: Record<string, string>): InjectOptions => ({
      method: 'POST',
      url: `/v1/evaluations/${id}/rate`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        unit: unit as string,
        n: '0',
        correctness: '3',
        completeness: '3',
        clarity: '3',
        trust: '3',
        ...fields,
      }).toString(),
    });
    await expectRefused(form({ rater: 'a\u0000b' }), 'body/rater');
    await expectRefused(form({ rater: 'ann', comment: 'fine\u0000' }), 'body/comment');
    const csv = (rows: string[]): InjectOptions => ({
      method: 'POST',
      url: `/v1/evaluations/${id}/ratings`,
      headers: { 'content-type': 'text/csv' },
      payload: ['item,method,rater,correctness,completeness,clarity,trust,comment', ...rows].join('\n'),
    });
    await expectRefused(csv(['r1,argmed,bob,3,3,3,3,fine', 'r2,argmed,bob,3,3,3,3,bad\u0000']), 'line 3/comment');
    await expectRefused(csv(['r1,argmed,b\u0007ob,3,3,3,3,fine']), 'line 2/rater');
    const saved = await inject(form({ rater: 'ann', comment: 'line 1\r\n\tline 2' }));
    expect(saved.statusCode, saved.body).toBe(303);
  });
});
