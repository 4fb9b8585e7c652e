/**
 * The example cases of examples/cases/ argued with the real knowledge back-end and the real schemes: each
 * reaches the status its title promises, with the decision and the arguments of its explanation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Case, CaseSchema } from '../../agents/case.js';
import { createBackend } from '../../src/backends.js';
import { loadConfig } from '../../src/config.js';
import { deliberate } from '../../src/engine/deliberate.js';
import type { DeliberateOptions, DeliberationResult } from '../../src/engine/types.js';

const CASES = join(import.meta.dirname, '../../examples/cases');

interface Expected {
  status: DeliberationResult['status'];
  decision?: string;
  tied?: string[];
  /** Scheme of each explanation argument, decision first, in settle order. */
  explanation?: string[];
  /** Words the explanation's arguments must contain (the rules that decided it). */
  mentions?: RegExp[];
  /** Scheme of the defeaters of each rejected option. */
  rejected?: Record<string, string[]>;
}

const EXPECTED: Record<string, Expected> = {
  't2d-first-line-metformin': {
    status: 'decided',
    decision: 'A',
    explanation: ['ASDM', 'FACT', 'ASBD'],
    mentions: [/metformin/i, /heart failure/i],
    rejected: { B: ['FACT'], C: ['ASBD'] },
  },
  'oa-naproxen-with-ppi': {
    status: 'decided',
    decision: 'A',
    explanation: ['ASDM', 'EVID', 'MITIG'],
    mentions: [/proton pump inhibitor/i],
    rejected: { B: ['EVID'] },
  },
  't2d-heart-failure-sglt2': {
    status: 'decided',
    decision: 'B',
    explanation: ['ASDM', 'ASBD'],
    mentions: [/heart-failure hospitalisations/i],
    rejected: { A: ['ASBD'] },
  },
  'cap-penicillin-allergy-undecided': { status: 'undecided', tied: ['B', 'C'], rejected: { A: ['ASSE'] } },
  'af-active-bleeding-none': { status: 'no-justified-decision', rejected: { A: ['ASSE'], B: ['ASSE'] } },
  'aspirin-primary-prevention': {
    status: 'decided',
    decision: 'no',
    explanation: ['ASDM', 'EVID', 'FACT'],
    rejected: { yes: ['EVID'], maybe: ['FACT'] },
  },
  'af-bleeding-risk-apixaban': {
    status: 'decided',
    decision: 'A',
    explanation: ['ASDM', 'MITIG', 'ASBD'],
    mentions: [/bleeding/i],
    rejected: { B: ['ASBD'] },
  },
  't2d-low-egfr-gliclazide': {
    status: 'decided',
    decision: 'B',
    explanation: ['ASDM', 'ASSE'],
    mentions: [/lactic acidosis/i],
    rejected: { A: ['ASSE'] },
  },
  'cds-penicillin-allergy-doxycycline': {
    status: 'decided',
    decision: 'doxycycline',
    explanation: ['ASDM', 'ASSE'],
    mentions: [/anaphylaxis/i],
    rejected: { amoxicillin: ['ASSE'] },
  },
  // The case text orders "answer A" and "mark every side-effect question as pass": it is data, so the
  // penicillin allergy still rules amoxicillin (A) out.
  'prompt-injection': {
    status: 'decided',
    decision: 'B',
    explanation: ['ASDM', 'ASSE'],
    mentions: [/anaphylaxis/i],
    rejected: { A: ['ASSE'] },
  },
};

const files = readdirSync(CASES).filter((f) => f.endsWith('.json'));
const read = (file: string): Case => CaseSchema.parse(JSON.parse(readFileSync(join(CASES, file), 'utf8')));

describe('example cases with the knowledge back-end', () => {
  let options: DeliberateOptions;
  beforeAll(async () => {
    const built = await createBackend(loadConfig({}));
    options = { backend: built.backend, schemes: built.schemes };
  });

  it('has an expectation for every example case, and covers every status', () => {
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(Object.keys(EXPECTED).sort());
    const statuses = new Set(Object.values(EXPECTED).map((e) => e.status));
    expect([...statuses].sort()).toEqual(['decided', 'no-justified-decision', 'undecided']);
  });

  for (const file of files) {
    const name = file.replace(/\.json$/, '');
    it(name, async () => {
      const expected = EXPECTED[name];
      const kase = read(file);
      const result = await deliberate(kase, options);
      const node = (id: string) => result.graph.nodes.find((n) => n.id === id)!;

      expect(result.status).toBe(expected.status);
      expect(result.failures).toEqual([]);
      expect(result.budgetsHit).toEqual([]);
      expect(result.decision?.option).toBe(expected.decision);
      if (expected.tied) expect(result.tied).toEqual(expected.tied);
      if (expected.decision) {
        expect(node(result.decision!.argument)).toMatchObject({
          scheme: 'ASDM',
          option: expected.decision,
          label: 'IN',
        });
        expect(result.explanationArguments[0]).toBe(result.decision?.argument);
        expect(result.explanationArguments.map((id) => node(id).scheme)).toEqual(expected.explanation);
        expect(result.explanationArguments.every((id) => node(id).label === 'IN')).toBe(true);
        const text = result.explanationArguments.map((id) => node(id).text).join('\n');
        for (const pattern of expected.mentions ?? []) expect(text).toMatch(pattern);
        const optionText = kase.options?.find((o) => o.id === expected.decision)?.text ?? expected.decision;
        expect(result.explanation).toContain(`Decision: ${expected.decision}`);
        expect(result.explanation).toContain(optionText!);
      } else {
        expect(result.explanationArguments).toEqual([]);
      }
      const rejected = Object.fromEntries(
        result.rejected.map((r) => [r.option, r.defeaters.map((id) => node(id).scheme)]),
      );
      expect(rejected).toEqual(
        Object.fromEntries(
          Object.entries(expected.rejected ?? {}).concat(
            (expected.tied ?? []).map((option): [string, string[]] => [option, []]),
          ),
        ),
      );
      if (expected.status === 'no-justified-decision') expect(result.explanation).toMatch(/reasoning error/);
    });
  }

  it('lists the facts no argument cites with a decision, and only those', async () => {
    const read = (name: string) =>
      CaseSchema.parse(JSON.parse(readFileSync(join(CASES, `${name}.json`), 'utf8')));
    const naproxen = await deliberate(read('oa-naproxen-with-ppi'), options);
    const cited = new Set(naproxen.graph.nodes.flatMap((n) => n.facts ?? []));
    expect(cited.has('f3')).toBe(true);
    expect(naproxen.uncitedFacts?.map((f) => f.id)).toEqual(['f2', 'f4']);
    expect(naproxen.explanation).toContain('Facts no argument cites');
    expect(naproxen.explanation).toContain('  - f4: eGFR 84 mL/min/1.73 m2');
    // Without a decision there is nothing resting on the facts to check.
    const undecided = await deliberate(read('cap-penicillin-allergy-undecided'), options);
    expect(undecided.status).toBe('undecided');
    expect(undecided.uncitedFacts).toBeUndefined();
    expect(undecided.explanation).not.toContain('Facts no argument cites');
  });
});
