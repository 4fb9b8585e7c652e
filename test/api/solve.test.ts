/** POST /v1/solve: JSON and ICCMA text, labels, grounded extension, explanations, and bad frameworks. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCaseService } from './support/memory-case-service.js';
import { testApp } from './support/test-app.js';

let app: FastifyInstance;
beforeAll(async () => {
  ({ app } = await testApp(new MemoryCaseService()));
});
afterAll(async () => app.close());

const solve = (payload: unknown, headers: Record<string, string> = {}, url = '/v1/solve') =>
  app.inject({ method: 'POST', url, payload: payload as string, headers });

describe('POST /v1/solve', () => {
  it('labels a reinstatement chain posted as JSON and explains each label', async () => {
    // c attacks b, b attacks a: c IN, b OUT, a IN (reinstated by c); d and e attack each other: UNDEC.
    const res = await solve({
      arguments: ['a', 'b', 'c', 'd', 'e'],
      attacks: [
        ['b', 'a'],
        ['c', 'b'],
        ['d', 'e'],
        ['e', 'd'],
      ],
      explain: ['a', 'b', 'd'],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.labels).toEqual({ a: 'IN', b: 'OUT', c: 'IN', d: 'UNDEC', e: 'UNDEC' });
    expect(body.grounded.sort()).toEqual(['a', 'c']);
    expect(body.explanations.a).toEqual({ label: 'IN', justification: [{ attacker: 'b', defeater: 'c' }] });
    expect(body.explanations.b).toEqual({ label: 'OUT', defeater: 'c' });
    expect(body.explanations.d).toEqual({ label: 'UNDEC', undecidedAttackers: ['e'] });
  });

  it('answers a JSON body that is not an object with one error at body, not the text branch', async () => {
    for (const payload of ['[]', 'null', '5', '"p af 1"x']) {
      const res = await solve(payload, { 'content-type': 'application/json' });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (payload.endsWith('x')) continue; // not JSON at all: the malformed-JSON problem
      expect(res.json().errors).toEqual([
        { path: 'body', message: expect.stringMatching(/expected object/) },
      ]);
    }
  });

  it('reads ICCMA text posted as text/plain', async () => {
    const res = await solve(
      'p af 3\n# a comment\n2 1\n3 2\n',
      { 'content-type': 'text/plain' },
      '/v1/solve?explain=1',
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.labels).toEqual({ 1: 'IN', 2: 'OUT', 3: 'IN' });
    expect(body.grounded).toEqual(['1', '3']);
    expect(body.explanations['1'].justification).toEqual([{ attacker: '2', defeater: '3' }]);
  });

  it('names the line of malformed ICCMA text', async () => {
    const res = await solve('p af 2\n1 2\n1 7\n', { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'ARGMED_INVALID_FRAMEWORK', line: 3 });
    expect(res.json().detail).toMatch(/^line 3: /);
  });

  it.each([
    [{ arguments: ['a'], attacks: [['a', 'z']] }, 'body/attacks/0/1'],
    [{ arguments: ['a', 'a'], attacks: [] }, 'body/arguments/1'],
    [{ arguments: ['a'], attacks: [], explain: ['q'] }, 'body/explain/0'],
    [{ arguments: ['a', ''], attacks: [] }, 'body/arguments/1'],
    [{ arguments: ['x'.repeat(257)], attacks: [] }, 'body/arguments/0'],
  ])('names the field of a bad JSON framework %#', async (payload, field) => {
    const res = await solve(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ARGMED_INVALID_FRAMEWORK');
    expect(res.json().detail).toContain(field);
  });

  it.each([
    [{ arguments: ['a'] }, 'body/attacks'],
    [{ arguments: ['a'], attacks: [['a']] }, 'body/attacks/0'],
    [{ arguments: [1], attacks: [] }, 'body/arguments/0'],
    [{ arguments: [], attacks: [], semantics: 'preferred' }, 'body/semantics'],
  ])('rejects a JSON body of the wrong shape naming the field %#', async (payload, field) => {
    const res = await solve(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ARGMED_VALIDATION');
    expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  it('answers the same whether the scanner or JSON.parse reads the body', async () => {
    const framework = {
      arguments: ['a', 'b', 'c', 'd', 'e'],
      attacks: [
        ['b', 'a'],
        ['c', 'b'],
        ['d', 'e'],
        ['e', 'd'],
      ],
      explain: ['a', 'b', 'd'],
    };
    const compact = await solve(JSON.stringify(framework), { 'content-type': 'application/json' });
    // Indented: still the scanner. Attacks before arguments, or an escape: JSON.parse and the schema.
    const { arguments: names, ...rest } = framework;
    const variants = [
      JSON.stringify(framework, null, 2),
      JSON.stringify({ ...rest, arguments: names }),
      JSON.stringify(framework).replace('"c"', '"\\u0063"'),
    ];
    expect(compact.statusCode).toBe(200);
    expect(compact.headers['content-type']).toBe('application/json; charset=utf-8');
    for (const variant of variants) {
      const res = await solve(variant, { 'content-type': 'application/json' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(compact.json());
    }
  });

  it('writes any argument name as a JSON key, explaining a name asked twice once', async () => {
    const names = ['say "no"', 'back\\slash', 'line\nbreak', 'é😀', '__proto__', '10', '2'];
    const res = await solve({
      arguments: names,
      attacks: [
        [names[0], names[1]],
        [names[4], names[5]],
      ],
      explain: [names[1], names[4], names[1]],
    });
    expect(res.statusCode).toBe(200);
    // JSON.parse keeps a `__proto__` key as an own property; the object holds every name once.
    const body = JSON.parse(res.body);
    expect(Object.keys(body.labels).sort()).toEqual([...names].sort());
    expect(body.labels[names[1]]).toBe('OUT');
    expect(Object.getOwnPropertyDescriptor(body.labels, '__proto__')?.value).toBe('IN');
    expect(body.labels['10']).toBe('OUT');
    expect(Object.keys(body.explanations)).toEqual([names[1], '__proto__']);
    expect(res.body.match(/"back\\\\slash":\{/g)).toHaveLength(1);
  });

  it('solves an empty framework', async () => {
    const res = await solve({ arguments: [], attacks: [] });
    expect(res.json()).toMatchObject({ arguments: 0, attacks: 0, labels: {}, grounded: [] });
  });
});

describe('POST /v1/solve size caps (regressions: `p af 3000000` answered 72.8 MB in 5.1 s, the largest header a 500)', () => {
  const text = { 'content-type': 'text/plain' };

  it('refuses an ICCMA header past the argument cap at line 1, quickly, with the JSON cap', async () => {
    for (const header of ['p af 100001', 'p af 3000000', 'p af 4294967294', 'p af 99999999999999999999']) {
      const started = performance.now();
      const res = await solve(`${header}\n`, text);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(res.statusCode, header).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code: 'ARGMED_INVALID_FRAMEWORK', line: 1 });
      expect(res.json().detail).toMatch(/^line 1: /);
    }
    const atCap = await solve('p af 100000\n1 2\n', text);
    expect(atCap.statusCode).toBe(200);
    expect(atCap.json().arguments).toBe(100_000);
    // Every argument is labelled, and the answer stays within a few megabytes.
    expect(atCap.body.length).toBeLessThan(3_000_000);
  });

  it('refuses a JSON framework past the same argument cap, naming the field', async () => {
    const names = Array.from({ length: 100_001 }, (_, i) => i.toString(36));
    const res = await solve({ arguments: names, attacks: [] });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('ARGMED_VALIDATION');
    expect(res.json().errors[0].path).toBe('body/arguments');
  });

  it('refuses explanations that together would list more than the cap, naming the field', {
    timeout: 30_000,
  }, async () => {
    // A chain 2001 -> 2000 -> ... -> 1: the justification of an odd argument walks the rest of the chain.
    const lines = ['p af 2001'];
    for (let i = 1; i <= 2000; i++) lines.push(`${i + 1} ${i}`);
    const odd = Array.from({ length: 1000 }, (_, i) => String(2 * i + 1)).join(',');
    const res = await solve(`${lines.join('\n')}\n`, text, `/v1/solve?explain=${odd}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'ARGMED_INVALID_FRAMEWORK',
      errors: [{ path: 'query/explain' }],
    });
    const few = await solve(`${lines.join('\n')}\n`, text, '/v1/solve?explain=1,3');
    expect(few.statusCode).toBe(200);
    expect(few.json().explanations['1'].justification).toHaveLength(1000);
  });
});
