/**
 * The knowledge back-end reads the rules that compare and excuse open-world (issue 10): a preference's or a
 * mitigation's exclusion (`unless`) and a claim's exclusion that a fact may state but that could not be read
 * are neither "absent" nor "present". The question they decide is answered unknown, so a decision that depends
 * on them abstains with `insufficient-knowledge`, naming what to confirm; a silent case is read as before, and a
 * stated exclusion excludes. Deliberated end to end with the engine and the shipped schemes.
 */
import { describe, expect, it } from 'vitest';
import { CaseSchema } from '../../../agents/case.js';
import { createKnowledgeBackend, parseKnowledgeBase } from '../../../agents/knowledge/index.js';
import type { Backend } from '../../../agents/types.js';
import { deliberate } from '../../../src/engine/deliberate.js';
import type { DeliberationResult } from '../../../src/engine/types.js';
import { shipped } from './support.js';

async function decide(backend: Backend, facts: string[], options: string[], question = 'Which treatment?') {
  const { schemes } = await shipped();
  const kase = CaseSchema.parse({
    facts,
    question,
    options: options.map((text, i) => ({ id: String.fromCharCode(65 + i), text })),
  });
  return deliberate(kase, { backend, schemes });
}

const justifiedIf = (result: DeliberationResult, option: string) =>
  result.pending?.find((p) => p.option === option)?.justifiedIf;
const labelOf = (result: DeliberationResult, option: string) =>
  result.rejected.find((r) => r.option === option)?.label;

describe('open-world preferences and exclusions on the shipped knowledge base', () => {
  it('a valve of unknown type leaves both anticoagulants open, each with what would justify it', async () => {
    const { backend } = await shipped();
    const result = await decide(
      backend,
      ['Atrial fibrillation, CHA2DS2-VASc 4.', 'Prosthetic heart valve, type not documented.'],
      ['Apixaban', 'Warfarin'],
      'Which anticoagulant for stroke prevention?',
    );
    expect(result.status).toBe('insufficient-knowledge');
    // Warfarin is not refuted by the DOAC preference: that preference does not hold with a mechanical valve.
    expect(labelOf(result, 'B')).toBe('UNDEC');
    expect(justifiedIf(result, 'A')).toEqual(['rule out mechanical heart valve (see f2)']);
    expect(justifiedIf(result, 'B')).toEqual([
      'confirm whether the patient has mechanical heart valve (see f2)',
    ]);
    const open = result.openQuestions?.find((q) => q.question === 'alternatives');
    expect(open?.reason).toMatch(
      /^pref-doac-over-warfarin-af .* may rank apixaban above warfarin depending on/,
    );
    expect(open?.facts).toEqual(['f2']);
  });

  it('with the valve stated bioprosthetic, the preference holds and apixaban is decided', async () => {
    const { backend } = await shipped();
    const result = await decide(
      backend,
      ['Atrial fibrillation, CHA2DS2-VASc 4.', 'Bioprosthetic (tissue) aortic valve since 2019.'],
      ['Apixaban', 'Warfarin'],
      'Which anticoagulant for stroke prevention?',
    );
    expect(result.status).toBe('decided');
    expect(result.decision?.option).toBe('A');
  });

  it('a claim whose exclusion may be stated is open, not refuted and not decided', async () => {
    const { backend, schemes } = await shipped();
    const kase = CaseSchema.parse({
      facts: ['67-year-old man.', 'Chest tightness on exertion, possible angina, awaiting a stress test.'],
      question: 'Should he start low-dose aspirin for primary prevention?',
      questionType: 'yes-no-maybe',
      options: ['yes', 'no', 'maybe'].map((id) => ({ id, text: id })),
    });
    const result = await deliberate(kase, { backend, schemes });
    expect(result.status).toBe('insufficient-knowledge');
    expect(labelOf(result, 'no')).toBe('UNDEC');
    expect(justifiedIf(result, 'no')).toEqual([
      'confirm whether the patient has established cardiovascular disease (see f2)',
    ]);
  });
});

/** Two treatments for gout; drug B's side effect has a mitigation with an exclusion. */
const base = {
  version: 1,
  concepts: [
    { id: 'gout', label: 'gout' },
    { id: 'reflux', label: 'reflux disease', synonyms: ['GORD', 'GERD'] },
    {
      id: 'liver-disease',
      label: 'liver disease',
      synonyms: ['cirrhosis', 'hepatitis'],
      cues: ['liver', 'LFTs', 'transaminases'],
    },
    { id: 'kidney-stones', label: 'kidney stones', synonyms: ['nephrolithiasis'], cues: ['renal colic'] },
  ],
  treatments: [
    { id: 'drug-a', name: 'drug A' },
    { id: 'drug-b', name: 'drug B' },
  ],
  effects: [{ id: 'heartburn', label: 'heartburn' }],
  indications: [
    {
      id: 'i-a',
      treatment: 'drug-a',
      goal: 'gout control',
      when: ['gout'],
      evidence: 'A works.',
      source: 's',
    },
    {
      id: 'i-b',
      treatment: 'drug-b',
      goal: 'gout control',
      when: ['gout'],
      evidence: 'B works.',
      source: 's',
    },
  ],
  sideEffects: [
    {
      id: 'se-b',
      treatment: 'drug-b',
      effect: 'heartburn',
      when: ['reflux'],
      severity: 'major',
      source: 's',
    },
  ],
  mitigations: [
    {
      id: 'mit-b',
      effect: 'heartburn',
      measure: 'take with an antacid',
      for: ['drug-b'],
      unless: ['liver-disease'],
      source: 's',
    },
  ],
};
/** ... and a conditional preference of drug A over drug B, except with kidney stones. */
const preference = {
  id: 'pref-a',
  better: 'drug-a',
  worse: 'drug-b',
  goal: 'gout control',
  criterion: 'fewer flares',
  when: ['gout'],
  unless: ['kidney-stones'],
  strength: 'conditional',
  source: 's',
};

describe('open-world mitigations (a small knowledge base)', () => {
  const backend = createKnowledgeBackend(parseKnowledgeBase(base));
  const options = ['Drug A', 'Drug B'];

  it('a mitigation whose exclusion could not be read leaves the side effect open', async () => {
    const result = await decide(backend, ['Gout.', 'GORD.', 'Liver tests pending.'], options);
    expect(result.status).toBe('insufficient-knowledge');
    expect(justifiedIf(result, 'B')).toEqual(['confirm whether the patient has liver disease (see f3)']);
    const open = result.openQuestions?.[0];
    expect(open).toMatchObject({ question: 'mitigation', cause: 'unknown', facts: ['f3'] });
    expect(open?.reason).toMatch(/^mit-b \(s\) may make heartburn with drug B acceptable/);
  });

  it('the same mitigation applies when the case is silent, and not when the exclusion is stated', async () => {
    const silent = await decide(backend, ['Gout.', 'GORD.'], options);
    expect(silent.status).toBe('undecided');
    expect(silent.tied).toEqual(['A', 'B']);
    const stated = await decide(backend, ['Gout.', 'GORD.', 'Alcoholic cirrhosis.'], options);
    expect(stated.status).toBe('decided');
    expect(stated.decision?.option).toBe('A');
  });
});

describe('open-world comparisons (a small knowledge base)', () => {
  const backend = createKnowledgeBackend(parseKnowledgeBase({ ...base, preferences: [preference] }));
  const options = ['Drug A', 'Drug B'];

  it('a tie whose preference may not hold is an open question, not a genuine tie and not a decision', async () => {
    const facts = ['Gout.', 'Two episodes of renal colic, cause not investigated.'];
    const result = await decide(backend, facts, options);
    expect(result.status).toBe('insufficient-knowledge');
    expect(result.tied).toBeUndefined();
    const asbd = result.graph.nodes.find((n) => n.scheme === 'ASBD');
    expect(asbd?.label).toBe('UNDEC');
    const open = result.openQuestions?.find((q) => q.question === 'comparison-holds');
    expect(open?.settle).toBe('confirm whether the patient has kidney stones (see f2)');
    expect(justifiedIf(result, 'A')).toEqual([
      'the open questions of the other options are settled against them',
    ]);
  });

  it('the comparison decides when the case is silent on the exclusion, and leaves a tie when it is stated', async () => {
    const silent = await decide(backend, ['Gout.'], options);
    expect(silent.status).toBe('decided');
    expect(silent.decision?.option).toBe('A');
    const stated = await decide(backend, ['Gout.', 'Nephrolithiasis.'], options);
    expect(stated.status).toBe('undecided');
    expect(stated.tied).toEqual(['A', 'B']);
  });
});
