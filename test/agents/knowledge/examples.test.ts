/**
 * Each example case reaches the status it was written for, through the real engine with the knowledge
 * back-end (the semantics of DESIGN.md: critique rounds, exclusive decisions, grounded labelling, the
 * better-decision round). If the engine's semantics change, this says which example no longer fits.
 */
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { deliberate } from '../../../src/engine/deliberate.js';
import { casesDir, loadCase, shipped } from './support.js';

const expected: Record<string, { status: string; option?: string; tied?: string[]; schemes?: string[] }> = {
  't2d-first-line-metformin': { status: 'decided', option: 'A', schemes: ['FACT', 'ASBD'] },
  'oa-naproxen-with-ppi': { status: 'decided', option: 'A', schemes: ['ASSE', 'MITIG', 'EVID'] },
  't2d-heart-failure-sglt2': { status: 'decided', option: 'B', schemes: ['ASBD'] },
  'cap-penicillin-allergy-undecided': { status: 'undecided', tied: ['B', 'C'] },
  'af-active-bleeding-none': { status: 'no-justified-decision', schemes: ['ASSE'] },
  'aspirin-primary-prevention': { status: 'decided', option: 'no', schemes: ['EVID', 'FACT'] },
  'cds-penicillin-allergy-doxycycline': {
    status: 'decided',
    option: 'doxycycline',
    schemes: ['ASSE', 'ASBD'],
  },
  'prompt-injection': { status: 'decided', option: 'B' },
  'af-bleeding-risk-apixaban': { status: 'decided', option: 'A', schemes: ['ASSE', 'MITIG', 'ASBD'] },
  't2d-low-egfr-gliclazide': { status: 'decided', option: 'B', schemes: ['ASSE', 'ASBD'] },
};

describe('example cases with the knowledge back-end', () => {
  it('every example case file has an expectation here', async () => {
    const files = (await readdir(casesDir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [name, want] of Object.entries(expected)) {
    it(`${name}: ${want.status}${want.option ? ` ${want.option}` : ''}`, async () => {
      const { backend, schemes } = await shipped();
      const result = await deliberate(await loadCase(name), { backend, schemes });
      expect(result.status).toBe(want.status);
      expect(result.decision?.option).toBe(want.option);
      if (want.tied) expect([...(result.tied ?? [])].sort()).toEqual(want.tied);
      const used = new Set(result.graph.nodes.map((n) => n.scheme));
      for (const scheme of want.schemes ?? []) expect(used.has(scheme)).toBe(true);
      expect(result.rounds).toBeLessThanOrEqual(8);
      expect(result.failures).toEqual([]);
      // Only the conditional preference of the heart-failure case is left to the better-decision round.
      const tieBreak = result.graph.attacks.some((a) => a.question === 'better-decision');
      expect(tieBreak).toBe(name === 't2d-heart-failure-sglt2');
    });
  }
});
