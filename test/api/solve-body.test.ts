/**
 * The solve route's fast readers against the general path: the scanner (`scanSolveJson`) and the
 * structural check (`isSolveJson`) never accept what JSON.parse, the zod schema and `frameworkFromJson`
 * refuse, and what they accept reads the same. Random texts cover escapes, control characters, non-ASCII
 * and lone surrogates, repeated and unknown names, key order, whitespace, limits and broken JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/http/problem.js';
import { isSolveJson } from '../../src/api/solve/check-body.js';
import { frameworkFromJson } from '../../src/api/solve/framework-from-json.js';
import { scanSolveJson } from '../../src/api/solve/scan-solve-json.js';
import { SolveJsonSchema } from '../../src/api/solve/schemas.js';

/** What the general path makes of a text: the parsed body and its framework's names and attacks, or why not. */
function generalPath(text: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false as const, why: 'json' };
  }
  const checked = SolveJsonSchema.safeParse(parsed);
  if (!checked.success) return { ok: false as const, why: 'schema' };
  try {
    const framework = frameworkFromJson(checked.data);
    const attacks: Array<[number, number]> = [];
    for (let a = 0; a < framework.count; a++) for (const t of framework.targetsOf(a)) attacks.push([a, t]);
    return { ok: true as const, body: checked.data, names: framework.names, attacks };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false as const, why: 'framework' };
    throw error;
  }
}

const nameChar = fc.constantFrom(
  'a',
  'b',
  'c',
  '1',
  ' ',
  '"',
  '\\',
  '\n',
  '\u0001',
  'é',
  '\u2028',
  '😀',
  '\ud800',
  '\udc00',
);
const name = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'a1', 'b2', 'arg-3', 'é') },
  { weight: 2, arbitrary: fc.array(nameChar, { maxLength: 4 }).map((cs) => cs.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(256), 'x'.repeat(257), '__proto__', 'constructor') },
);
const value = fc.oneof(
  { weight: 6, arbitrary: fc.array(name, { maxLength: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 3, 'a', {}, [['a']], [1]) },
);
const body = fc.record(
  {
    arguments: value,
    attacks: fc.oneof(
      { weight: 6, arbitrary: fc.array(fc.tuple(name, name), { maxLength: 8 }) },
      { weight: 1, arbitrary: fc.array(fc.array(name, { maxLength: 3 }), { maxLength: 3 }) },
      { weight: 1, arbitrary: value },
    ),
    explain: value,
    other: fc.constantFrom(1, 'x'),
  },
  { requiredKeys: [] },
);
/** Mostly well-formed frameworks (attacks and explain over the declared names), some with a stray name. */
const framework = fc
  .tuple(
    fc.uniqueArray(name, { maxLength: 8 }),
    fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 10 }),
    fc.option(fc.array(fc.nat(), { maxLength: 3 })),
    fc.option(name, { freq: 5 }),
  )
  .map(([names, pairs, explain, stray]) => {
    const pick = (i: number) => (stray !== null && i % 7 === 6 ? stray : names[i % names.length]);
    const result: Record<string, unknown> = {
      arguments: names,
      attacks: names.length === 0 ? [] : pairs.map(([a, b]) => [pick(a), pick(b)]),
    };
    if (explain !== null && names.length > 0) result.explain = explain.map(pick);
    return result;
  });
const space = fc.constantFrom('', '', ' ', '\n  ', '\t', '\r\n');

/** A body as JSON text: keys in a random order, whitespace between tokens, sometimes a character broken. */
const text = fc
  .tuple(
    fc.oneof({ weight: 3, arbitrary: framework }, { weight: 1, arbitrary: body }),
    fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    space,
    fc.option(fc.tuple(fc.nat(), fc.string())),
  )
  .map(([object, rank, ws, mutation]) => {
    const entries = Object.entries(object)
      .map((entry, i) => ({ entry, rank: rank[i] }))
      .sort((a, b) => a.rank - b.rank)
      .map(({ entry }) => entry);
    let json = `{${entries.map(([k, v]) => `${ws}${JSON.stringify(k)}${ws}:${ws}${JSON.stringify(v)}`).join(',')}${ws}}`;
    if (ws) json = json.replace(/,(?=[[{"])/g, `,${ws}`);
    // JSON.stringify escapes lone surrogates; JSON text may also hold them raw.
    json = json.replace(/\\u(d[89a-f][0-9a-f]{2})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    if (mutation && mutation[0] % 4 === 0) {
      const at = mutation[0] % (json.length + 1);
      json = json.slice(0, at) + mutation[1] + json.slice(at + (mutation[1].length % 2));
    }
    return json;
  });

describe('scanSolveJson', () => {
  it('accepts only what the general path accepts, and reads it the same', () => {
    let scanned = 0;
    fc.assert(
      fc.property(text, (json) => {
        const fast = scanSolveJson(json);
        if (fast === undefined) return;
        scanned++;
        const general = generalPath(json);
        expect(general.ok, json).toBe(true);
        if (!general.ok) return;
        expect(fast.names).toEqual(general.body.arguments);
        if (fast.plainNames) for (const n of fast.names) expect(`"${n}"`).toBe(JSON.stringify(n));
        expect(fast.explain).toEqual(general.body.explain);
        const attacks = Array.from({ length: fast.edges.length }, (_, i) => [
          fast.edges.from(i),
          fast.edges.to(i),
        ]);
        const index = new Map(general.body.arguments.map((n, i) => [n, i]));
        expect(attacks).toEqual(general.body.attacks.map(([f, t]) => [index.get(f), index.get(t)]));
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the fast path often enough for the comparison to mean something.
    expect(scanned).toBeGreaterThan(100);
  });

  it('reads the usual bodies: compact or indented, with or without explain, escapes left to JSON.parse', () => {
    const framework = {
      arguments: ['a', 'b', 'c'],
      attacks: [
        ['a', 'b'],
        ['b', 'c'],
      ],
      explain: ['c'],
    };
    for (const json of [JSON.stringify(framework), JSON.stringify(framework, null, 2)]) {
      const fast = scanSolveJson(json);
      expect(fast?.names).toEqual(['a', 'b', 'c']);
      expect([fast!.edges.to(0), fast!.edges.to(1)]).toEqual([1, 2]);
      expect(fast?.explain).toEqual(['c']);
    }
    expect(scanSolveJson('{"arguments":["a\\"b"],"attacks":[]}')).toBeUndefined();
    expect(scanSolveJson('{"attacks":[],"arguments":["a"]}')).toBeUndefined();
    expect(scanSolveJson('{"arguments":["a","a"],"attacks":[]}')).toBeUndefined();
    expect(scanSolveJson('{"arguments":["a"],"attacks":[["a","b"]]}')).toBeUndefined();
    expect(scanSolveJson('{"arguments":["a"],"attacks":[]} x')).toBeUndefined();
  });

  it('finds every name among many (hash collisions and table growth)', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `n${i.toString(36)}`);
    const attacks = names.map((n, i) => [n, names[(i * 7919) % names.length]]);
    const fast = scanSolveJson(JSON.stringify({ arguments: names, attacks }));
    expect(fast?.edges.length).toBe(names.length);
    for (let i = 0; i < names.length; i++) expect(fast!.edges.to(i)).toBe((i * 7919) % names.length);
  });
});

describe('isSolveJson', () => {
  it('never accepts a value the schema refuses', () => {
    fc.assert(
      fc.property(fc.oneof(body, fc.jsonValue()), (candidate) => {
        if (isSolveJson(candidate)) expect(SolveJsonSchema.safeParse(candidate).success).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts the bodies the schema accepts', () => {
    fc.assert(
      fc.property(body, (candidate) => {
        expect(isSolveJson(candidate)).toBe(SolveJsonSchema.safeParse(candidate).success);
      }),
      { numRuns: 2000 },
    );
  });
});
