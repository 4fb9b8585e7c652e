/**
 * Faithfulness measures on hand-built graphs with known answers (sufficiency, redundancy), and the probes
 * (stability, counterfactual facts) on the knowledge back-end with a real example case.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Case, CaseSchema } from '../../agents/case.js';
import { createBackend } from '../../src/backends.js';
import { loadConfig } from '../../src/config.js';
import { deliberate } from '../../src/engine/deliberate.js';
import type { ArgumentNode, AttackEdge, DeliberateOptions } from '../../src/engine/types.js';
import { graphFaithfulness, probeDeliberation, summariseFaithfulness } from '../../src/eval/faithfulness/index.js';
import type { ArgmedDetails, ItemResult } from '../../src/eval/types.js';

const node = (id: string, kind: 'decision' | 'belief' = 'belief'): ArgumentNode => ({
  id,
  text: id,
  conclusion: id,
  premises: [],
  scheme: kind === 'decision' ? 'ASDM' : 'ASSE',
  kind,
  option: kind === 'decision' ? id : undefined,
  variables: {},
  round: 0,
  agent: 'generator',
});
const attack = (from: string, to: string): AttackEdge => ({ from, to, type: 'attack', question: 'cq', reason: '' });

function details(ids: string[], attacks: AttackEdge[], explanationArguments: string[]): ArgmedDetails {
  return {
    status: 'decided',
    graph: { nodes: ids.map((id) => node(id, id === 'd' ? 'decision' : 'belief')), attacks },
    justification: [],
    explanationArguments,
    rejected: [],
    rounds: 1,
    budgetsHit: [],
    verifyFailures: [],
  };
}

describe('graphFaithfulness', () => {
  it('a justification with two defenders against one attacker: each is redundant', () => {
    // x attacks d; y and z both attack x.
    const g = graphFaithfulness(details(['d', 'x', 'y', 'z'], [attack('x', 'd'), attack('y', 'x'), attack('z', 'x')], ['d', 'y', 'z']))!;
    expect(g).toEqual({ sufficient: true, members: 2, redundant: ['y', 'z'] });
  });
  it('a chain of defence: nothing is redundant', () => {
    // x attacks d, y attacks x, w attacks y, v attacks w: the justification is d, y, v.
    const g = graphFaithfulness(
      details(['d', 'x', 'y', 'w', 'v'], [attack('x', 'd'), attack('y', 'x'), attack('w', 'y'), attack('v', 'w')], ['d', 'y', 'v']),
    )!;
    expect(g).toEqual({ sufficient: true, members: 2, redundant: [] });
  });
  it('an unfaithful explanation that leaves out the defender is insufficient', () => {
    const g = graphFaithfulness(details(['d', 'x', 'y'], [attack('x', 'd'), attack('y', 'x')], ['d']))!;
    expect(g.sufficient).toBe(false);
  });
  it('an unfaithful explanation padded with an unrelated argument: that argument is redundant', () => {
    const g = graphFaithfulness(details(['d', 'x', 'y', 'u'], [attack('x', 'd'), attack('y', 'x')], ['d', 'y', 'u']))!;
    expect(g).toEqual({ sufficient: true, members: 2, redundant: ['u'] });
  });
  it('no decision: nothing to check', () => {
    expect(graphFaithfulness({ ...details(['d'], [], []), status: 'undecided' })).toBeUndefined();
  });
  it('summarises as shares with n, N/A for probes not run', () => {
    const item = (d: ArgmedDetails): ItemResult => ({
      runId: 'r', itemKey: 'k', method: 'argmed', status: 'done', gold: 'd', predicted: 'd', correct: true, calls: 0, tokensIn: 0, tokensOut: 0, latencyMs: 0, finishedAt: '',
      outcome: { predicted: 'd', parsedBy: 'decision', explanation: '', calls: [], argmed: d },
    });
    const s = summariseFaithfulness([
      item(details(['d', 'x', 'y', 'z'], [attack('x', 'd'), attack('y', 'x'), attack('z', 'x')], ['d', 'y', 'z'])),
      item(details(['d', 'x', 'y'], [attack('x', 'd'), attack('y', 'x')], ['d', 'y'])),
    ])!;
    expect(s.sufficient).toMatchObject({ k: 2, n: 2 });
    expect(s.redundant).toMatchObject({ k: 2, n: 3 });
    expect(s.minimal).toMatchObject({ k: 1, n: 2 });
    expect(s.probed).toBe(0);
    expect(s.stableDecision.value).toBeNull();
  });
});

describe('probeDeliberation on the knowledge back-end', () => {
  let options: DeliberateOptions;
  const kase: Case = CaseSchema.parse(JSON.parse(readFileSync(join('examples', 'cases', 'cds-penicillin-allergy-doxycycline.json'), 'utf8')));
  beforeAll(async () => {
    const built = await createBackend(loadConfig({}));
    options = { backend: built.backend, schemes: built.schemes };
  });

  it('is stable, and the cited allergy fact matters', async () => {
    const base = await deliberate(kase, options);
    expect(base.status).toBe('decided');
    const { probes } = await probeDeliberation(kase, base, options, { repeats: 2, facts: 3 }, deliberate);
    // The knowledge back-end is deterministic: repeats and reversed facts agree.
    expect(probes.stability.map((c) => [c.probe, c.sameDecision, c.sameJustification])).toEqual([
      ['repeat 1', true, true],
      ['repeat 2', true, true],
      ['facts reversed', true, true],
    ]);
    expect(probes.cited).toBeGreaterThan(0);
    // Without the penicillin allergy (f2) amoxicillin is no longer defeated: the decision changes.
    const allergy = probes.citedFacts.find((c) => c.probe === 'without cited f2');
    expect(allergy).toMatchObject({ sameDecision: false });
  });

  it('paraphrases the facts when the fixed rewrites apply, and the decision rests on the same facts', async () => {
    const examples = readdirSync(join('examples', 'cases')).filter((f) => f.endsWith('.json'));
    const rows: string[] = [];
    for (const file of examples) {
      const example: Case = CaseSchema.parse(JSON.parse(readFileSync(join('examples', 'cases', file), 'utf8')));
      const base = await deliberate(example, options);
      const { probes } = await probeDeliberation(example, base, options, { repeats: 0, facts: 0 }, deliberate);
      const paraphrase = probes.stability.find((c) => c.probe === 'facts paraphrased');
      rows.push(`${file}: ${paraphrase ? `${paraphrase.sameDecision}/${paraphrase.sameJustification}` : 'not run'}`);
      // Every example but the pneumonia one with bare diagnoses has a fact the rewrites change.
      if (file.startsWith('cds-')) expect(paraphrase, file).toBeUndefined();
      else expect(paraphrase, file).toMatchObject({ sameDecision: true, sameJustification: true });
    }
    console.info(`paraphrase probe on the examples: ${rows.join('; ')}`);
  });

  it('an uncited fact does not change the decision or the justification', async () => {
    const padded = { ...kase, facts: [...kase.facts, { id: 'f9', text: 'Lives with a cat.' }] };
    const base = await deliberate(padded, options);
    const { probes } = await probeDeliberation(padded, base, options, { repeats: 0, facts: 3 }, deliberate);
    const cat = probes.uncitedFacts.find((c) => c.probe === 'without uncited f9');
    expect(cat).toMatchObject({ sameDecision: true, sameJustification: true });
  });
});
