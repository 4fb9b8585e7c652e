/**
 * Oracle for contested cases: after each contribution of a sequence (facts added, corrected and corrected
 * back, arguments contributed and withdrawn), the case's revision must say what a fresh deliberation of the
 * case as it now stands says: the same status, decision, open questions, assumptions, uncited facts, and
 * arguments (what each says, its label, the facts it cites). The revision continues from the earlier graph
 * (ids kept, only what the change reaches asked again), so any difference is something of the old facts that
 * outlived them. The one legitimate difference is a standing contribution (a fresh deliberation has no
 * clinician): there the option the clinician rejected must not be the decision, and nothing more is compared.
 * Besides the written sequences, seeded random ones over every example case mix facts, verified and judgement
 * arguments and withdrawals, then withdraw every contribution: the case must then read as a fresh deliberation.
 * On SQLite only: the store is not what is tested here (contest.test.ts runs both dialects).
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCaseFile, type RealService, startRealService } from '../api/support/real-service.js';

interface Result {
  status: string;
  decision?: { option: string; argument: string };
  openQuestions?: unknown[];
  assumedAbsent?: string[];
  uncitedFacts?: Array<{ id: string }>;
  candidates?: Array<{ id: string }>;
  graph: { nodes: Node[] };
}

interface Node {
  id: string;
  scheme: string;
  label: string;
  text: string;
  facts?: string[];
  contribution?: unknown;
}

type Step =
  | { fact: { id?: string; text: string; codes?: string[] } }
  | { argument: (result: Result) => object }
  | { withdraw: string };

/** A clinician's judgement that the decision argument is wrong for this patient. */
const AGAINST_DECISION = (result: Result) => ({
  scheme: 'EVID',
  premises: ['The patient declined this treatment after discussion today.'],
  conclusion: 'This option is not acceptable to the patient.',
  attacks: [{ target: result.decision!.argument }],
  judgement: true,
  reason: 'shared decision',
});

/** A clinician's verified counter to the back-end's mitigation (a proton pump inhibitor) of the naproxen case. */
const NO_PPI = (result: Result) => ({
  scheme: 'EVID',
  premises: ['She stopped omeprazole and pantoprazole for intolerable diarrhoea and will not take a PPI.'],
  conclusion: 'A proton pump inhibitor cannot be used for this patient.',
  attacks: [{ target: result.graph.nodes.find((n) => n.scheme === 'MITIG')!.id, question: 'feasible' }],
  reason: 'PPI intolerance',
});

/** A case that gives no options: the back-end proposes them from the facts. */
const NO_OPTIONS = {
  facts: ['58-year-old man with newly diagnosed type 2 diabetes, HbA1c 8.1%.', 'eGFR 78 mL/min/1.73 m2.'],
  question: 'Which glucose-lowering drug should be started first?',
};

const SEQUENCES: Array<[string, string | Record<string, unknown>, Step[]]> = [
  [
    // Heart failure makes an SGLT2 inhibitor a candidate the first proposal did not have.
    'a case without options: a fact that brings a new candidate, then a contraindication of the kidneys',
    NO_OPTIONS,
    [
      { fact: { text: 'Heart failure with reduced ejection fraction (LVEF 30%).' } },
      { fact: { id: 'f2', text: 'eGFR 22 mL/min/1.73 m2.' } },
    ],
  ],
  [
    // The mitigation is given again by the new verification, so it keeps its id and the clinician's attack.
    'a counter to a back-end argument keeps its target through new facts',
    'oa-naproxen-with-ppi',
    [
      { argument: NO_PPI },
      { fact: { text: 'Enjoys gardening.' } },
      { fact: { id: 'f3', text: 'Duodenal ulcer in 2019, treated with eradication therapy; no bleeding since.' } },
      { withdraw: 'c2' },
    ],
  ],
  [
    'a contraindication corrected away, coded back, then the original text back',
    'af-active-bleeding-none',
    [
      { fact: { id: 'f2', text: 'Admitted today with dizziness; no active bleeding, haemoglobin 128 g/L.' } },
      {
        fact: {
          id: 'f2',
          text: 'Admitted today with dizziness; no active bleeding, haemoglobin 128 g/L.',
          codes: ['active-bleeding'],
        },
      },
      {
        fact: {
          id: 'f2',
          text: 'Admitted today with melaena and a haemoglobin fall from 128 to 86 g/L; endoscopy pending.',
          codes: ['active-bleeding'],
        },
      },
    ],
  ],
  [
    // The contraindication is given again from the new fact: it must cite that one, not the corrected one.
    'the finding behind a contraindication moves to another fact',
    'af-active-bleeding-none',
    [
      { fact: { text: 'Haematemesis this morning.' } },
      { fact: { id: 'f2', text: 'No melaena; haemoglobin stable at 128 g/L.', codes: [] } },
    ],
  ],
  [
    'a fact that contraindicates the preferred option only, then corrected to a tissue valve',
    'af-bleeding-risk-apixaban',
    [
      { fact: { text: 'Mechanical mitral valve (St Jude) since 2015.' } },
      { fact: { id: 'f4', text: 'Bioprosthetic (tissue) mitral valve since 2015.' } },
      { fact: { text: 'Melaena since yesterday, haemoglobin 84 g/L.' } },
      { fact: { id: 'f5', text: 'No bleeding; haemoglobin 131 g/L.' } },
    ],
  ],
  [
    'an undecided case: the allergy corrected away, then a pregnancy added and corrected',
    'cap-penicillin-allergy-undecided',
    [
      { fact: { id: 'f2', text: 'No known drug allergies.', codes: [] } },
      { fact: { text: 'Pregnant, 12 weeks.' } },
      { fact: { id: 'f4', text: 'Urine pregnancy test negative today.' } },
    ],
  ],
  [
    // The decisions are proposed again: empagliflozin's no longer cites the fact that now rules heart failure out.
    'a fact the decisions cite corrected, then a lab value added and corrected',
    't2d-heart-failure-sglt2',
    [
      { fact: { id: 'f2', text: 'No heart failure; LVEF 60%.', codes: [] } },
      { fact: { text: 'eGFR 25 mL/min/1.73 m2.' } },
      { fact: { id: 'f4', text: 'eGFR 70 mL/min/1.73 m2.' } },
    ],
  ],
  [
    'a contraindication by a lab value corrected and back',
    't2d-low-egfr-gliclazide',
    [
      { fact: { id: 'f2', text: 'eGFR 78 mL/min/1.73 m2.', codes: [] } },
      {
        fact: {
          id: 'f2',
          text: 'Chronic kidney disease, eGFR 24 mL/min/1.73 m2.',
          codes: ['chronic-kidney-disease'],
        },
      },
    ],
  ],
  [
    'a judgement, a fact, the judgement withdrawn, a fact uncited by any argument',
    'oa-naproxen-with-ppi',
    [
      { argument: AGAINST_DECISION },
      { fact: { text: 'Melaena since yesterday, haemoglobin 84 g/L.' } },
      { withdraw: 'c2' },
      { fact: { id: 'f5', text: 'No bleeding since 2019.' } },
      { fact: { text: 'Enjoys gardening.' } },
    ],
  ],
];

describe('a contested case says what a fresh deliberation of its facts says', () => {
  let service: RealService;
  beforeAll(async () => {
    service = await startRealService('sqlite');
  });
  afterAll(async () => service?.dispose());

  const inject = (opts: InjectOptions) => service.app.inject(opts);

  async function deliberated(payload: object): Promise<{ id: string; result: Result; input: object }> {
    const res = await inject({ method: 'POST', url: '/v1/cases?wait=true', payload });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  function outcome(result: Result) {
    return {
      status: result.status,
      decision: result.decision?.option,
      openQuestions: result.openQuestions?.length ?? 0,
      assumedAbsent: result.assumedAbsent ?? [],
      uncitedFacts: (result.uncitedFacts ?? []).map((fact) => fact.id),
      candidates: (result.candidates ?? []).map((option) => option.id).sort(),
      // What each argument says and cites, ids aside (a continuation keeps its own ids).
      arguments: result.graph.nodes
        .filter((node) => node.contribution === undefined)
        .map((node) => `${node.label} ${node.text} ${JSON.stringify(node.facts ?? [])}`)
        .sort(),
    };
  }

  it.each(SEQUENCES)('%s', async (_title, example, steps) => {
    const kase: Record<string, unknown> = typeof example === 'string' ? exampleCaseFile(example) : { ...example };
    delete kase.id;
    let current = await deliberated(kase);
    const rejected = current.result.decision?.option;
    for (const [index, step] of steps.entries()) {
      const res =
        'fact' in step
          ? await inject({
              method: 'POST',
              url: `/v1/cases/${current.id}/facts`,
              payload: { fact: step.fact, reason: `step ${index}` },
            })
          : 'argument' in step
            ? await inject({
                method: 'POST',
                url: `/v1/cases/${current.id}/arguments`,
                payload: step.argument(current.result),
              })
            : await inject({
                method: 'DELETE',
                url: `/v1/cases/${current.id}/arguments/${step.withdraw}?reason=step`,
              });
      expect(res.statusCode, `step ${index}: ${res.body}`).toBe(201);
      // The case as it reads now (its stored result), not only the contribution's answer.
      const read = (await inject({ method: 'GET', url: `/v1/cases/${current.id}` })).json();
      current = { id: current.id, result: read.result, input: read.input };
      const fresh = await deliberated(read.input);
      if (current.result.graph.nodes.some((n) => n.contribution && n.label === 'IN')) {
        // A clinician's judgement stands: a fresh deliberation has no clinician, so the two may legitimately
        // differ; the option the judgement rejects is still not the case's decision.
        expect(current.result.decision?.option, `step ${index}`).not.toBe(rejected);
        continue;
      }
      expect(outcome(current.result), `step ${index}`).toEqual(outcome(fresh.result));
    }
  });

  /** Seeded sequences: facts added or corrected, arguments contributed (verified or judgement), withdrawn. */
  const EXAMPLES = [
    'af-active-bleeding-none',
    'af-bleeding-risk-apixaban',
    'cap-penicillin-allergy-undecided',
    'oa-naproxen-with-ppi',
    't2d-low-egfr-gliclazide',
    't2d-first-line-metformin',
    't2d-heart-failure-sglt2',
    'cds-penicillin-allergy-doxycycline',
    'aspirin-primary-prevention',
  ];
  const FACTS = [
    'Melaena since yesterday, haemoglobin 84 g/L.',
    'No active bleeding.',
    'Mechanical mitral valve (St Jude).',
    'eGFR 22 mL/min/1.73 m2.',
    'Heart failure with reduced ejection fraction.',
    'Pregnant, 12 weeks.',
    'Penicillin allergy: anaphylaxis.',
    'No known drug allergies.',
    'Enjoys gardening.',
    'Duodenal ulcer 2019.',
  ];
  const PREMISES = ['She refuses this drug.', 'Metformin causes lactic acidosis.', 'PPI intolerance.'];

  it.each(EXAMPLES)('random contributions to %s, all withdrawn at the end', async (example) => {
    let seed = [...example].reduce((sum, ch) => sum + ch.charCodeAt(0), 0);
    const pick = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const kase: Record<string, unknown> = exampleCaseFile(example);
    delete kase.id;
    const { id } = await deliberated(kase);
    const read = async () => (await inject({ method: 'GET', url: `/v1/cases/${id}` })).json();
    const steps: string[] = [];
    for (let step = 0; step < 6; step++) {
      const now = await read();
      const nodes: Node[] = now.result.graph.nodes;
      const contributions = nodes.filter((n) => n.contribution);
      const kind = pick(3);
      let res: Awaited<ReturnType<typeof inject>>;
      if (kind === 0 || (kind === 2 && contributions.length === 0)) {
        const text = FACTS[pick(FACTS.length)];
        const ids: string[] = now.input.facts.map((f: { id: string }) => f.id);
        const fact = pick(2) === 0 ? { text } : { id: ids[pick(ids.length)], text, codes: [] };
        steps.push(`fact ${JSON.stringify(fact)}`);
        res = await inject({ method: 'POST', url: `/v1/cases/${id}/facts`, payload: { fact, reason: 'r' } });
      } else if (kind === 1) {
        const targets = nodes.filter((n) => n.scheme !== 'OPEN-QUESTION' && n.scheme !== 'NOT-VERIFIED');
        const target = targets[pick(targets.length)].id;
        const premise = PREMISES[pick(PREMISES.length)];
        const judgement = pick(2) === 0;
        steps.push(`argument against ${target}${judgement ? ' (judgement)' : ''}`);
        res = await inject({
          method: 'POST',
          url: `/v1/cases/${id}/arguments`,
          payload: {
            scheme: 'EVID',
            premises: [premise],
            conclusion: premise,
            attacks: [{ target }],
            judgement,
            reason: 'r',
          },
        });
      } else {
        const withdrawn = contributions[pick(contributions.length)].id;
        steps.push(`withdraw ${withdrawn}`);
        res = await inject({ method: 'DELETE', url: `/v1/cases/${id}/arguments/${withdrawn}?reason=r` });
      }
      expect(res.statusCode, `${steps.join(' | ')}: ${res.body}`).toBe(201);
    }
    for (const node of ((await read()).result.graph.nodes as Node[]).filter((n) => n.contribution)) {
      const res = await inject({ method: 'DELETE', url: `/v1/cases/${id}/arguments/${node.id}?reason=r` });
      expect(res.statusCode, res.body).toBe(201);
    }
    const now = await read();
    const fresh = await deliberated(now.input);
    expect(outcome(now.result), steps.join(' | ')).toEqual(outcome(fresh.result));
  });
});
