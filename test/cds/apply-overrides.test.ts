/**
 * applyOverrides re-solves a hook call's deliberation with the standing overrides: the card built from it must
 * still say what limited that deliberation (budgets hit, failures), since re-solving verifies nothing again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseSchema } from '../../agents/case.js';
import { createBackend } from '../../src/backends.js';
import { applyOverrides } from '../../src/cds/apply-overrides.js';
import { loadConfig } from '../../src/config.js';
import { deliberate } from '../../src/engine/deliberate.js';
import type { ArgumentNode } from '../../src/engine/types.js';

const example = (name: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, `../../examples/cases/${name}.json`), 'utf8'));

describe('applyOverrides', () => {
  it('keeps the budgets and failures of the deliberation it re-solves', async () => {
    const { backend, schemes } = await createBackend(loadConfig({}));
    const kase = CaseSchema.parse({ ...example('oa-naproxen-with-ppi'), settings: { maxRounds: 2 } });
    const result = await deliberate(kase, { backend, schemes });
    expect(result.budgetsHit).toEqual(['maxRounds']);
    const failure = { role: 'verifier', stage: 'verify', argument: 'a2', error: 'timed out' } as const;
    result.failures.push(failure);
    const argument: ArgumentNode = {
      id: 'c2',
      scheme: 'CLIN',
      kind: 'belief',
      variables: {},
      premises: ['She will not take codeine.'],
      conclusion: 'Codeine is not acceptable to her.',
      text: 'She will not take codeine.',
      round: 9,
      agent: 'clinician',
      contribution: { author: 'cds:dr', revision: 2, judgement: true, at: '2026-12-04T00:00:00.000Z' },
    };
    const override = { caseId: 'earlier', argument, options: ['B'], reason: 'refuses' };
    const revised = await applyOverrides(result, kase, [override], { backend, schemes, deadlineMs: 5_000 });
    expect(revised.graph.nodes.some((n) => n.id === 'c2')).toBe(true);
    expect(revised.status).toBe('incomplete');
    expect(revised.budgetsHit).toEqual(['maxRounds']);
    expect(revised.failures).toContainEqual(failure);
    expect(revised.explanation).toContain('budget reached: maxRounds');
  });
});
