/** The solve answer written as text is the JSON of the response schema for any names (escapes, `__proto__`, ids). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdgeList, frameworkFromEdges, groundedLabelling } from '../../solver/index.js';
import { SolveResponseSchema } from '../../src/api/solve/schemas.js';
import { writeSolveResponse } from '../../src/api/solve/write-solve-response.js';

const name = fc.oneof(
  fc.constantFrom('a', 'b', '1', '10', '__proto__', 'constructor', 'say "x"', 'back\\slash', 'é😀', '\u0001'),
  fc.string({ maxLength: 5, unit: 'binary' }),
);

describe('writeSolveResponse', () => {
  it('writes the labels and grounded extension of the framework, parsed back unchanged', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { maxLength: 12 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 20 }),
        fc.boolean(),
        fc.option(fc.constant('{"a":{"label":"IN"}}')),
        (names, pairs, numeric, explanations) => {
          const count = names.length;
          const edges = new EdgeList(16);
          if (count > 0) for (const [a, b] of pairs) edges.push(a % count, b % count);
          const framework = frameworkFromEdges(count, edges, numeric ? undefined : names);
          const labelling = groundedLabelling(framework);
          const plain = !numeric && names.every((n) => `"${n}"` === JSON.stringify(n));
          const text = writeSolveResponse(framework, labelling, explanations ?? undefined, plain);
          const body = JSON.parse(text);
          expect(SolveResponseSchema.safeParse(body).success).toBe(true);
          expect(Object.keys(body)).toEqual([
            'semantics',
            'arguments',
            'attacks',
            'labels',
            'grounded',
            ...(explanations ? ['explanations'] : []),
          ]);
          const ids = Array.from({ length: count }, (_, a) => a);
          const entries = Object.entries(body.labels).sort(([x], [y]) => (x < y ? -1 : 1));
          const expected = ids
            .map((a) => [framework.nameOf(a), labelling.label(a)])
            .sort(([x], [y]) => (x < y ? -1 : 1));
          expect(entries).toEqual(expected);
          expect(body.grounded).toEqual(labelling.inArguments().map((a) => framework.nameOf(a)));
          expect(body.attacks).toBe(framework.attackCount);
          // The same text whether or not the caller knew the names were plain.
          if (plain) expect(writeSolveResponse(framework, labelling, explanations ?? undefined)).toBe(text);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
