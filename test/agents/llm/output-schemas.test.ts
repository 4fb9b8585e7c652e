import { describe, expect, test } from 'vitest';
import { counterSchema, proposeSchema, verifySchema } from '../../../agents/llm/output-schemas.js';
import { loadSchemes } from '../../../schemes/load.js';

const schemes = await loadSchemes();
const asdm = schemes.get('ASDM')!;

describe('output schemas are built once per scheme and ids', () => {
  test('the same arguments give the same schema object; other ids give another schema', () => {
    expect(verifySchema(asdm)).toBe(verifySchema(asdm));
    const a = counterSchema(asdm, ['f1', 'f2'], ['A', 'B']);
    expect(counterSchema(asdm, ['f1', 'f2'], ['A', 'B'])).toBe(a);
    const b = counterSchema(asdm, ['f1', 'f3'], ['A', 'B']);
    expect(b).not.toBe(a);
    expect(proposeSchema(asdm, ['f1'], ['A'], 4)).not.toBe(proposeSchema(asdm, ['f1'], ['A'], 3));
  });

  test('a reused schema still checks the ids it was built for', () => {
    const answer = (fact: string) => ({
      reason: 'x',
      answer: 'argument',
      argument: {
        variables: Object.fromEntries(asdm.variables.map((v) => [v.name, 'x'])),
        premises: Object.fromEntries(asdm.premises.map((p) => [p.id, 'x'])),
        conclusion: 'x',
        text: 'x',
        facts: [fact],
        option: 'A',
      },
    });
    counterSchema(asdm, ['f1', 'f2'], ['A', 'B']);
    const schema = counterSchema(asdm, ['f1', 'f2'], ['A', 'B']);
    expect(schema.safeParse(answer('f2')).success).toBe(true);
    expect(schema.safeParse(answer('f3')).success).toBe(false);
    expect(counterSchema(asdm, ['f1', 'f3'], ['A', 'B']).safeParse(answer('f3')).success).toBe(true);
  });
});
