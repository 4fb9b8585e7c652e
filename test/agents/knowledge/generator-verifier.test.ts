import { describe, expect, it } from 'vitest';
import { candidateOptions, CaseSchema } from '../../../agents/case.js';
import { createKnowledgeBackend, parseKnowledgeBase } from '../../../agents/knowledge/index.js';
import type { Argument, Backend, QuestionVerdict } from '../../../agents/types.js';
import type { SchemeRegistry } from '../../../schemes/load.js';
import { asArgument, context, loadCase, shipped } from './support.js';

type Ctx = ReturnType<typeof context>;

async function propose(
  backend: Backend,
  schemes: SchemeRegistry,
  ctx: Ctx,
  maxDecisions = 4,
): Promise<Argument[]> {
  const drafts = await backend.generator.propose({
    ...ctx,
    scheme: schemes.require('ASDM'),
    options: candidateOptions(ctx.kase),
    maxDecisions,
  });
  return drafts.map((draft) => asArgument(draft));
}

async function verify(backend: Backend, schemes: SchemeRegistry, ctx: Ctx, argument: Argument) {
  const verdicts = await backend.verifier.verify({
    ...ctx,
    argument,
    scheme: schemes.require(argument.scheme),
  });
  return Object.fromEntries(verdicts.map((v) => [v.question, v])) as Record<string, QuestionVerdict>;
}

async function counter(
  backend: Backend,
  schemes: SchemeRegistry,
  ctx: Ctx,
  argument: Argument,
  questionId: string,
) {
  const scheme = schemes.require(argument.scheme);
  const question = scheme.criticalQuestions.find((q) => q.id === questionId)!;
  const verdict = (await verify(backend, schemes, ctx, argument))[questionId];
  const draft = await backend.generator.counter({
    ...ctx,
    argument,
    question,
    verdict,
    scheme: schemes.require(question.counterScheme),
  });
  return draft ? asArgument(draft, argument.round + 1) : null;
}

/** Runs the critique loop of DESIGN.md (without solving) and returns every argument, deduplicated. */
async function dialogue(backend: Backend, schemes: SchemeRegistry, ctx: Ctx): Promise<Argument[]> {
  const all = await propose(backend, schemes, ctx);
  const seen = new Set(all.map((a) => `${a.scheme}:${JSON.stringify(a.variables)}`));
  let fresh = all;
  for (let round = 1; round <= 8 && fresh.length > 0; round++) {
    const added: Argument[] = [];
    for (const argument of fresh) {
      const verdicts = await verify(backend, schemes, ctx, argument);
      for (const verdict of Object.values(verdicts)) {
        if (verdict.verdict !== 'fail') continue;
        const made = await counter(backend, schemes, ctx, argument, verdict.question);
        if (!made) continue;
        const key = `${made.scheme}:${JSON.stringify(made.variables)}`;
        if (!seen.has(key)) {
          seen.add(key);
          added.push(made);
        }
      }
    }
    all.push(...added);
    fresh = added;
  }
  expect(fresh).toEqual([]);
  return all;
}

describe('knowledge generator: propose', () => {
  it('makes one ASDM decision argument per option, worded from the scheme, citing rule and facts', async () => {
    const { backend, schemes } = await shipped();
    const ctx = context(await loadCase('oa-naproxen-with-ppi'));
    const [naproxen, codeine] = await propose(backend, schemes, ctx);
    expect(naproxen).toMatchObject({ scheme: 'ASDM', kind: 'decision', option: 'A', facts: ['f1'] });
    expect(naproxen.variables).toEqual({
      F: 'osteoarthritis',
      G: 'pain relief in osteoarthritis',
      D: 'Naproxen 250 mg twice daily',
    });
    expect(naproxen.premises).toEqual([
      'The patient presents with osteoarthritis.',
      'The clinical goal is pain relief in osteoarthritis.',
      'Naproxen 250 mg twice daily promotes pain relief in osteoarthritis.',
    ]);
    expect(naproxen.conclusion).toBe('Naproxen 250 mg twice daily should be considered.');
    expect(naproxen.source).toMatch(/^ind-naproxen-oa \(NICE NG226/);
    // No indication for codeine: an argument is still made, so the option is rejected with a reason.
    expect(codeine).toMatchObject({ scheme: 'ASDM', option: 'B', facts: [] });
    expect(codeine.source).toBeUndefined();
  });

  it('proposes the indicated treatments when the case gives no options, at most maxDecisions', async () => {
    const { backend, schemes } = await shipped();
    const kase = await loadCase('cap-penicillin-allergy-undecided');
    const ctx = context({ ...kase, options: undefined });
    const all = await propose(backend, schemes, ctx);
    expect(all.map((a) => a.option)).toEqual(['amoxicillin', 'doxycycline', 'clarithromycin']);
    expect((await propose(backend, schemes, ctx, 2)).map((a) => a.option)).toEqual([
      'amoxicillin',
      'doxycycline',
    ]);
    // A strong preference puts the better treatment first, so a cap never drops it for a worse one.
    const kb = parseKnowledgeBase({
      version: 1,
      concepts: [{ id: 'cough', label: 'cough' }],
      treatments: [
        { id: 'worse', name: 'syrup' },
        { id: 'better', name: 'honey' },
      ],
      indications: ['worse', 'better'].map((t) => ({
        id: `i-${t}`,
        treatment: t,
        goal: 'relief',
        when: ['cough'],
        evidence: 'e',
        source: 's',
      })),
      preferences: [
        {
          id: 'p',
          better: 'better',
          worse: 'worse',
          goal: 'relief',
          criterion: 'c',
          strength: 'strong',
          source: 's',
        },
      ],
    });
    const cough = context(CaseSchema.parse({ facts: ['Dry cough'], question: 'What helps?' }));
    const ranked = createKnowledgeBackend(kb);
    expect((await propose(ranked, schemes, cough, 1)).map((a) => a.option)).toEqual(['better']);
    expect((await propose(ranked, schemes, cough)).map((a) => a.option)).toEqual(['better', 'worse']);
    const unrelated = context(CaseSchema.parse({ facts: ['Sprained ankle'], question: 'Which treatment?' }));
    expect(await propose(backend, schemes, unrelated)).toEqual([]);
  });

  it('is deterministic', async () => {
    const { backend, schemes } = await shipped();
    const ctx = context(await loadCase('af-bleeding-risk-apixaban'));
    const strip = (args: Argument[]) => args.map(({ id: _id, ...rest }) => rest);
    expect(strip(await propose(backend, schemes, ctx))).toEqual(strip(await propose(backend, schemes, ctx)));
  });
});

describe('knowledge verifier and counters', () => {
  it('answers every critical question with a reason naming rule and facts', async () => {
    const { backend, schemes } = await shipped();
    const ctx = context(await loadCase('oa-naproxen-with-ppi'));
    const [naproxen, codeine] = await propose(backend, schemes, ctx);
    const v = await verify(backend, schemes, ctx, naproxen);
    expect(Object.keys(v)).toEqual(['facts-hold', 'evidence', 'side-effects', 'alternatives']);
    expect(v['facts-hold']).toMatchObject({ verdict: 'pass' });
    expect(v['facts-hold'].reason).toContain('osteoarthritis (f1)');
    expect(v.evidence.verdict).toBe('pass');
    expect(v['side-effects'].verdict).toBe('fail');
    expect(v['side-effects'].reason).toMatch(/se-nsaid-gi-bleeding .*\(f3\)/);
    expect(v.alternatives.verdict).toBe('pass');
    const c = await verify(backend, schemes, ctx, codeine);
    expect(c.evidence).toMatchObject({ verdict: 'fail' });
    expect(c.evidence.reason).toMatch(/no indication of codeine/);
  });

  it('defeats a side effect with a mitigation: ASSE, then MITIG, then nothing more', async () => {
    const { backend, schemes } = await shipped();
    const ctx = context(await loadCase('oa-naproxen-with-ppi'));
    const [naproxen] = await propose(backend, schemes, ctx);
    const asse = (await counter(backend, schemes, ctx, naproxen, 'side-effects'))!;
    expect(asse).toMatchObject({
      scheme: 'ASSE',
      kind: 'belief',
      variables: { D: 'naproxen', S: 'gi-bleeding' },
    });
    expect(asse.premises[0]).toBe('naproxen has the side effect gastrointestinal ulceration and bleeding.');
    const onAsse = await verify(backend, schemes, ctx, asse);
    expect(onAsse.causation.verdict).toBe('pass');
    expect(onAsse['likelihood-severity'].verdict).toBe('pass');
    expect(onAsse.mitigation.verdict).toBe('fail');
    const mitig = (await counter(backend, schemes, ctx, asse, 'mitigation'))!;
    expect(mitig).toMatchObject({
      scheme: 'MITIG',
      variables: { D: 'naproxen', S: 'gi-bleeding', M: 'co-prescribe a proton pump inhibitor' },
    });
    const onMitig = await verify(backend, schemes, ctx, mitig);
    expect(Object.values(onMitig).map((x) => x.verdict)).toEqual(['pass', 'pass']);
    // A question that passed has no counter-argument.
    expect(await counter(backend, schemes, ctx, asse, 'causation')).toBeNull();
  });

  it('challenges arguments the rules do not support: unknown causes, inapplicable mitigations', async () => {
    const { backend, schemes } = await shipped();
    const kase = await loadCase('oa-naproxen-with-ppi');
    const bleeding = context({ ...kase, facts: [...kase.facts, 'Melaena since yesterday.'] });
    const made = (draft: Partial<Argument> & { scheme: string; variables: Record<string, string> }) =>
      asArgument({ kind: 'belief', premises: [], conclusion: '', text: '', ...draft });
    const mitig = made({
      scheme: 'MITIG',
      variables: { D: 'naproxen', S: 'gi-bleeding', M: 'co-prescribe a proton pump inhibitor' },
    });
    const onMitig = await verify(backend, schemes, bleeding, mitig);
    expect(onMitig.effective.verdict).toBe('pass');
    expect(onMitig.feasible).toMatchObject({ verdict: 'fail' });
    expect(onMitig.feasible.reason).toMatch(
      /mit-ppi-with-nsaid .* does not apply: the case states active bleeding \(f5\)/,
    );
    const asse = made({ scheme: 'ASSE', variables: { D: 'codeine', S: 'gi-bleeding', F: 'x' } });
    const onAsse = await verify(backend, schemes, bleeding, asse);
    expect(onAsse.causation).toMatchObject({ verdict: 'fail' });
    expect((await counter(backend, schemes, bleeding, asse, 'causation'))?.scheme).toBe('EVID');
    const asbd = made({
      scheme: 'ASBD',
      option: 'B',
      variables: { better: 'B', worse: 'A', G: 'g', C: 'c' },
    });
    expect((await verify(backend, schemes, bleeding, asbd))['comparison-holds'].verdict).toBe('fail');
  });

  it('does not mitigate a contraindication, and reuses one ASSE for the decision and the preference', async () => {
    const { backend, schemes } = await shipped();
    const ctx = context(await loadCase('cap-penicillin-allergy-undecided'));
    const [amox, doxy] = await propose(backend, schemes, ctx);
    const asse = (await counter(backend, schemes, ctx, amox, 'side-effects'))!;
    expect(asse.variables).toMatchObject({ D: 'amoxicillin', S: 'anaphylaxis' });
    const onAsse = await verify(backend, schemes, ctx, asse);
    expect(onAsse.mitigation).toMatchObject({ verdict: 'pass' });
    expect(onAsse.mitigation.reason).toMatch(/contraindication/);
    const asbd = (await counter(backend, schemes, ctx, doxy, 'alternatives'))!;
    expect(asbd).toMatchObject({ scheme: 'ASBD', option: 'A', variables: { better: 'A', worse: 'B' } });
    const onAsbd = await verify(backend, schemes, ctx, asbd);
    expect(onAsbd['comparison-holds'].verdict).toBe('pass');
    expect(onAsbd['better-side-effects'].verdict).toBe('fail');
    const again = (await counter(backend, schemes, ctx, asbd, 'better-side-effects'))!;
    expect({ scheme: again.scheme, variables: again.variables }).toEqual({
      scheme: asse.scheme,
      variables: asse.variables,
    });
  });

  it('challenges a missing finding with FACT, and a FACT the case contradicts with CITE', async () => {
    const { backend, schemes } = await shipped();
    const ctx = context(await loadCase('t2d-first-line-metformin'));
    const [, empagliflozin, gliclazide] = await propose(backend, schemes, ctx);
    const fact = (await counter(backend, schemes, ctx, empagliflozin, 'facts-hold'))!;
    expect(fact).toMatchObject({ scheme: 'FACT', variables: { P: 'heart failure' } });
    expect((await verify(backend, schemes, ctx, fact))['stated-elsewhere'].verdict).toBe('pass');
    const asbd = (await counter(backend, schemes, ctx, gliclazide, 'alternatives'))!;
    expect(asbd.variables).toMatchObject({ better: 'A', worse: 'C' });

    const hf = context(await loadCase('t2d-heart-failure-sglt2'));
    const wrong = asArgument({ ...fact, premises: [], text: 'no heart failure' });
    const onWrong = await verify(backend, schemes, hf, wrong);
    expect(onWrong['stated-elsewhere']).toMatchObject({ verdict: 'fail' });
    const cite = (await counter(backend, schemes, hf, wrong, 'stated-elsewhere'))!;
    expect(cite).toMatchObject({ scheme: 'CITE', variables: { E: 'f2', P: 'heart failure' } });
    expect((await verify(backend, schemes, hf, cite)).reliable.verdict).toBe('pass');
  });

  it('answers yes/no/maybe questions from claims', async () => {
    const { backend, schemes } = await shipped();
    const ctx = context(await loadCase('aspirin-primary-prevention'));
    const [yes, no, maybe] = await propose(backend, schemes, ctx);
    expect([yes.option, no.option, maybe.option]).toEqual(['yes', 'no', 'maybe']);
    expect((await verify(backend, schemes, ctx, yes)).evidence.verdict).toBe('fail');
    const onNo = await verify(backend, schemes, ctx, no);
    expect(Object.values(onNo).every((x) => x.verdict === 'pass')).toBe(true);
    expect(onNo.evidence.reason).toMatch(
      /claim-aspirin-primary-prevention-60 \(US Preventive Services Task Force/,
    );
    const onMaybe = await verify(backend, schemes, ctx, maybe);
    expect(onMaybe['facts-hold'].verdict).toBe('fail');
    // A contradicting finding defeats the claim's evidence.
    const secondary = context({
      ...ctx.kase,
      facts: [...ctx.kase.facts, 'Previous myocardial infarction in 2019.'],
    });
    const onNo2 = await verify(backend, schemes, secondary, no);
    expect(onNo2.evidence).toMatchObject({ verdict: 'fail' });
    expect(onNo2.evidence.reason).toMatch(/established cardiovascular disease \(f3\)/);
  });

  it('compares tied options with any applicable preference', async () => {
    const { backend, schemes } = await shipped();
    const ctx = context(await loadCase('t2d-heart-failure-sglt2'));
    const decisions = await propose(backend, schemes, ctx);
    for (const d of decisions) {
      const v = await verify(backend, schemes, ctx, d);
      expect(Object.values(v).every((x) => x.verdict === 'pass')).toBe(true);
    }
    const asbd = await backend.generator.compare({
      ...ctx,
      tied: decisions,
      scheme: schemes.require('ASBD'),
    });
    if (!Array.isArray(asbd)) throw new Error('the knowledge back-end always answers a list');
    expect(asbd).toHaveLength(1);
    expect(asbd[0]).toMatchObject({ scheme: 'ASBD', option: 'B', variables: { better: 'B', worse: 'A' } });
    expect(asbd[0].text).toMatch(/^Empagliflozin achieves .* better than metformin/);

    const undecided = context(await loadCase('cap-penicillin-allergy-undecided'));
    const [, doxy, clari] = await propose(backend, schemes, undecided);
    expect(
      await backend.generator.compare({ ...undecided, tied: [doxy, clari], scheme: schemes.require('ASBD') }),
    ).toEqual([]);
  });

  it('leaves options it cannot resolve unknown, and answers unknown on schemes it has no rules for', async () => {
    const { backend, schemes } = await shipped();
    const kase = CaseSchema.parse({
      facts: [{ text: 'Community-acquired pneumonia', codes: ['community-acquired-pneumonia'] }],
      question: 'Which antibiotic?',
      options: [
        { id: 'A', text: 'Amoxicillin plus clarithromycin' },
        { id: 'B', text: 'Ceftriaxone' },
      ],
    });
    const ctx = context(kase);
    const [combo, unknown] = await propose(backend, schemes, ctx);
    expect((await verify(backend, schemes, ctx, combo)).evidence.reason).toMatch(/names several treatments/);
    expect((await verify(backend, schemes, ctx, unknown)).evidence.reason).toMatch(/names no treatment/);
    const other = { ...schemes.require('EVID'), id: 'ASDA' };
    const verdicts = await backend.verifier.verify({
      ...ctx,
      argument: { ...unknown, scheme: 'ASDA' },
      scheme: other,
    });
    expect(verdicts).toEqual([
      {
        question: 'overlooked',
        verdict: 'unknown',
        reason: 'The knowledge base holds no rule bearing on this question, so it cannot answer it.',
        settle: 'answer critical question overlooked from another source',
      },
    ]);
    // A counter-scheme other than the one the knowledge base builds gives no counter-argument.
    const question = schemes.require('ASDM').criticalQuestions[1];
    const verdict = (await verify(backend, schemes, ctx, unknown)).evidence;
    const none = await backend.generator.counter({
      ...ctx,
      argument: unknown,
      question,
      verdict,
      scheme: schemes.require('FACT'),
    });
    expect(none).toBeNull();
  });

  it('reinstates a decision with a minor side effect through the severity question', async () => {
    const { schemes } = await shipped();
    const kb = parseKnowledgeBase({
      version: 1,
      concepts: [{ id: 'cough', label: 'cough' }],
      treatments: [{ id: 'honey', name: 'honey' }],
      effects: [{ id: 'sticky', label: 'sticky fingers' }],
      indications: [
        { id: 'i1', treatment: 'honey', goal: 'cough relief', when: ['cough'], evidence: 'e', source: 's' },
      ],
      sideEffects: [{ id: 's1', treatment: 'honey', effect: 'sticky', severity: 'minor', source: 's' }],
    });
    const backend = createKnowledgeBackend(kb);
    const ctx = context(
      CaseSchema.parse({
        facts: ['Dry cough'],
        question: 'What helps?',
        options: [
          { id: 'A', text: 'Honey' },
          { id: 'B', text: 'Nothing' },
        ],
      }),
    );
    const [honey] = await propose(backend, schemes, ctx);
    const asse = (await counter(backend, schemes, ctx, honey, 'side-effects'))!;
    expect(asse.variables.F).toBe('its risk for any patient');
    const v = await verify(backend, schemes, ctx, asse);
    expect(v['likelihood-severity']).toMatchObject({ verdict: 'fail' });
    const evid = (await counter(backend, schemes, ctx, asse, 'likelihood-severity'))!;
    expect(evid).toMatchObject({ scheme: 'EVID' });
    expect(evid.variables.R).toMatch(/rates sticky fingers as minor/);
  });

  it('reaches a fixed point on every example case, producing no argument twice', async () => {
    const { backend, schemes } = await shipped();
    for (const name of [
      'oa-naproxen-with-ppi',
      'af-bleeding-risk-apixaban',
      'cap-penicillin-allergy-undecided',
      'prompt-injection',
    ]) {
      const all = await dialogue(backend, schemes, context(await loadCase(name)));
      expect(all.length).toBeLessThan(20);
    }
  });

  it('treats instructions in case text as data', async () => {
    const { backend, schemes } = await shipped();
    const ctx = context(await loadCase('prompt-injection'));
    const all = await dialogue(backend, schemes, ctx);
    const amox = all.find((a) => a.option === 'A' && a.scheme === 'ASDM')!;
    expect((await verify(backend, schemes, ctx, amox))['side-effects'].verdict).toBe('fail');
    const words = JSON.stringify(all);
    expect(words).not.toMatch(/ignore previous instructions|developer mode/i);
  });
});
