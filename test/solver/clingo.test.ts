/**
 * Cross-check against clingo (clingo-wasm, an independent ASP solver) running the textbook grounded
 * encoding on random frameworks.
 */
import fc from 'fast-check';
import * as clingoModule from 'clingo-wasm';
import { describe, expect, it } from 'vitest';
import { buildFramework, groundedLabelling } from '../../solver/index.js';
import { arbitraryFramework, type RandomFramework } from './arbitrary.js';

type Run = (
  program: string,
) => Promise<{ Result: string; Call: Array<{ Witnesses?: Array<{ Value: string[] }> }> }>;
const module = clingoModule as unknown as { run?: Run; default?: Run | { run: Run } };
const run: Run =
  module.run ??
  (typeof module.default === 'function' ? module.default : (module.default as { run: Run }).run);

const ENCODING = `
in(X) :- arg(X), defeated(Y) : att(Y,X).
defeated(X) :- in(Y), att(Y,X).
#show in/1.
`;

async function clingoGrounded({ count, attacks }: RandomFramework): Promise<number[]> {
  const facts = [
    ...Array.from({ length: count }, (_, a) => `arg(${a}).`),
    ...attacks.map(([from, to]) => `att(${from},${to}).`),
  ];
  const result = await run(`${facts.join(' ')}\n${ENCODING}`);
  expect(result.Result).toBe('SATISFIABLE');
  const values = result.Call[0].Witnesses?.[0]?.Value ?? [];
  return values.map((v) => Number(/^in\((\d+)\)$/.exec(v)![1])).sort((x, y) => x - y);
}

describe('cross-check against clingo-wasm', () => {
  it('agrees with clingo on random frameworks', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryFramework(12), async (random) => {
        const ours = groundedLabelling(buildFramework(random.count, random.attacks)).inArguments();
        expect(ours).toEqual(await clingoGrounded(random));
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('agrees with clingo on a larger random framework', async () => {
    let x = 42;
    const next = (n: number): number => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return x % n;
    };
    const count = 300;
    const attacks = Array.from({ length: 450 }, () => [next(count), next(count)] as [number, number]);
    const ours = groundedLabelling(buildFramework(count, attacks)).inArguments();
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toEqual(await clingoGrounded({ count, attacks }));
  }, 60_000);
});
