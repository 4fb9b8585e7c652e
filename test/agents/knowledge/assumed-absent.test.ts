/**
 * The knowledge back-end reads a condition no fact mentions as absent (closed-world over silence), so a
 * decision can stand on conditions nobody confirmed. Those assumptions must reach the clinician: the verifier
 * names them (`assumedAbsent`), the graph keeps them on the argument, and a decided result lists those of the
 * decision and its defenders in `assumedAbsent` and in its explanation. A condition the case rules out
 * ("no active bleeding", "non-valvular") or states is not an assumption. Deliberated end to end with the
 * engine and the shipped schemes and knowledge base.
 */
import { describe, expect, it } from 'vitest';
import { CaseSchema } from '../../../agents/case.js';
import { deliberate } from '../../../src/engine/deliberate.js';
import { shipped } from './support.js';

const AF = 'Which oral anticoagulant should be started for stroke prevention?';

async function decide(facts: string[], options: string[], question: string) {
  const { backend, schemes } = await shipped();
  const kase = CaseSchema.parse({
    facts,
    question,
    options: options.map((text, i) => ({ id: String.fromCharCode(65 + i), text })),
  });
  return deliberate(kase, { backend, schemes });
}

describe('conditions taken as absent because no fact mentions them', () => {
  it('an AF case silent on bleeding decides apixaban and says it took active bleeding as absent', async () => {
    const result = await decide(
      ['74-year-old man with non-valvular atrial fibrillation, CHA2DS2-VASc score 3.', 'eGFR 62.'],
      ['Apixaban 5 mg twice daily', 'Warfarin, target INR 2 to 3'],
      AF,
    );
    expect(result.status).toBe('decided');
    expect(result.decision?.option).toBe('A');
    // Contraindications first; "non-valvular" rules the mechanical valve out, so it is no assumption.
    expect(result.assumedAbsent?.[0]).toBe('active bleeding');
    expect(result.assumedAbsent).not.toContain('mechanical heart valve');
    expect(result.explanation).toContain(
      'Taken as absent because no fact mentions them (confirm before acting): active bleeding;',
    );
    const decision = result.graph.nodes.find((node) => node.id === result.decision?.argument);
    expect(decision?.assumedAbsent).toContain('active bleeding');
  });

  it.each([
    ['no active bleeding', 'eGFR 62; no active bleeding.'],
    ['a denial in other words', 'Denies any bleeding. eGFR 62.'],
  ])('with %s stated, active bleeding is not listed', async (_name, fact) => {
    const result = await decide(
      ['74-year-old man with non-valvular atrial fibrillation, CHA2DS2-VASc score 3.', fact],
      ['Apixaban 5 mg twice daily', 'Warfarin, target INR 2 to 3'],
      AF,
    );
    expect(result.status).toBe('decided');
    expect(result.assumedAbsent ?? []).not.toContain('active bleeding');
  });

  it('a valve never mentioned is listed for the DOAC (its contraindication)', async () => {
    const result = await decide(
      ['Atrial fibrillation, CHA2DS2-VASc 4.', 'No active bleeding.'],
      ['Apixaban', 'Warfarin'],
      AF,
    );
    expect(result.status).toBe('decided');
    expect(result.assumedAbsent).toContain('mechanical heart valve');
  });

  it('doxycycline in penicillin allergy: pregnancy, its contraindication, is named', async () => {
    const result = await decide(
      ['34-year-old with community-acquired pneumonia, CURB-65 score 0.', 'Penicillin allergy (anaphylaxis).'],
      ['Amoxicillin 500 mg three times daily for 5 days', 'Doxycycline 100 mg once daily for 5 days'],
      'Which antibiotic should be prescribed?',
    );
    expect(result.decision?.option).toBe('B');
    expect(result.assumedAbsent).toEqual(['pregnancy']);
  });

  it('a stated negative pregnancy test is no assumption', async () => {
    const result = await decide(
      [
        '34-year-old woman with community-acquired pneumonia, CURB-65 score 0.',
        'Penicillin allergy (anaphylaxis).',
        'Urine pregnancy test negative today.',
      ],
      ['Amoxicillin 500 mg three times daily for 5 days', 'Doxycycline 100 mg once daily for 5 days'],
      'Which antibiotic should be prescribed?',
    );
    expect(result.decision?.option).toBe('B');
    expect(result.assumedAbsent).toBeUndefined();
    expect(result.explanation).not.toContain('Taken as absent');
  });

  it('a mitigation that holds unless a silent condition is present names it (NSAID with a PPI)', async () => {
    const result = await decide(
      [
        '67-year-old woman with knee osteoarthritis; topical NSAID gave too little relief.',
        'Duodenal ulcer in 2019, treated.',
        'eGFR 84 mL/min/1.73 m2.',
      ],
      ['Naproxen 250 mg twice daily', 'Codeine 30 mg four times daily'],
      'Which analgesic should be started for her knee pain?',
    );
    expect(result.decision?.option).toBe('A');
    expect(result.assumedAbsent).toEqual(['active bleeding']);
    // The PPI defends naproxen only without active bleeding: the mitigation argument records it too.
    const mitigation = result.graph.nodes.find((node) => node.scheme === 'MITIG' && node.label === 'IN');
    expect(mitigation?.assumedAbsent).toEqual(['active bleeding']);
  });

  it('only standing arguments count: an abstention lists no assumptions', async () => {
    const result = await decide(
      ['Atrial fibrillation, CHA2DS2-VASc 4.', 'Active GI bleeding today.'],
      ['Apixaban', 'Warfarin'],
      AF,
    );
    expect(result.status).not.toBe('decided');
    expect(result.assumedAbsent).toBeUndefined();
  });
});
