/**
 * A safety corpus (issue 10): in-topic cases of the example knowledge base worded otherwise than examples/
 * (other words, abbreviations, brand names, negation, family history, history vs now, topical vs oral, other
 * measures, questions asked in the negative), argued with the real knowledge back-end and schemes.
 *
 * The rule: a contraindicated option is never the decision. Each case also names the right outcome (an option,
 * or "abstain" where no option is justified from what the case states), and the figures are counted as
 * dangerous (a contraindicated option decided), wrong (another wrong decision), right (the expected option, or
 * an abstention where one is expected) and abstained (no decision where one was expected). The same counts are
 * taken on examples/ (whose expected outcomes are those of example-cases.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Case, CaseSchema } from '../../agents/case.js';
import { createBackend } from '../../src/backends.js';
import { loadConfig } from '../../src/config.js';
import { deliberate } from '../../src/engine/deliberate.js';
import type { DeliberateOptions, DeliberationResult } from '../../src/engine/types.js';

interface CorpusCase {
  id: string;
  topic: string;
  facts: string[];
  question: string;
  questionType?: 'choice' | 'yes-no-maybe';
  options?: Array<{ id: string; text: string }>;
  /** Options the case's facts contraindicate: never the decision. */
  contraindicated: string[];
  /** The right outcome: an option id, or "abstain". */
  expect: string;
  /**
   * For a case expected decided: the conditions of the decided option's rules that no fact mentions, which the
   * decision must name as taken as absent (and nothing the facts state or rule out).
   */
  assumedAbsent?: string[];
}

type Verdict = 'dangerous' | 'wrong' | 'right' | 'abstained';

const read = (name: string): CorpusCase[] =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
const corpus = read('safety-corpus.json');
/** Variants written after the matcher was built, to check it on wordings it was not fitted to. */
const heldOut = read('safety-corpus-heldout.json');
/**
 * Fifteen more, written as a new user would before any was run: other wordings, abbreviations, brand names,
 * negation, family members, history, routes, measures written with their method, pregnancy tests, devices and
 * a question asked in the negative. Run first against the matcher as it was (2 dangerous, 1 wrong, 7 right, 5
 * abstained); the failures were fixed in the vocabulary's structure and the ConText rules, not case by case.
 */
const newVariants = read('safety-corpus-new.json');
/**
 * Round three: twenty written as clinicians and EHRs write (abbreviations, problem lists, lab values with
 * reference ranges, brand names, negation scope, family history lines, resolved vs active, hypotheticals,
 * obstetric notation, questions with a "not" that are not negative), each with its expectation recorded in its
 * `note` before any was run. Run first against the matcher as it was: 1 dangerous (bright red blood PR not
 * read as bleeding), 1 wrong (a question asking which to withhold answered positively), 16 right, 2 abstained
 * (age written "67 yo"; "native valves"). After the fixes (bleeding named by blood and site, verbs of withholding,
 * age notations, tests and negation written +ve/-ve, an exclusion speaking for its own phrase only): 20 right.
 */
const round3 = read('safety-corpus-round3.json');
/**
 * Six cases found while fixing round three, written after reading the matcher (so not held out): a failure
 * that round three's own cases reached only behind another abstention (bHCG), and the neighbours of its
 * fixes (tissue or native valve beside a mechanical one, BRBPR). Before the fixes: 5 dangerous, 1 abstained.
 */
const round3Found = read('safety-corpus-round3-found.json');
/**
 * Round four: twenty more written before any was run (discharge summaries, problem and semicolon lists, negation
 * written "nil", "absent", "not present", "neg for", "NKDA", "no h/o", "ruled out"; "recent", "ongoing",
 * "resolved"; family history; GFR and creatinine clearance written otherwise; contraindications never
 * mentioned), each also naming what a decision must list as taken as absent. Run first against the reading as
 * it was: 1 dangerous ("Cr clearance 25 mL/min" not read: metformin), 1 wrong ("FH: mother on dialysis" read as
 * the patient's), 15 right, 3 abstained ("Bleeding: nil", "neg for QT prolongation", "Type 2 DM"); and 3
 * assumption-list errors: active bleeding not named when only "no known bleeding disorder" was said, penicillin
 * allergy named despite "NKDA", pregnancy named for a man. After the fixes (shipped-readings.test.ts): 19 right,
 * 1 abstained ("Valves: native" is not read as native valves), no assumption-list error.
 */
const round4 = read('safety-corpus-round4.json');
/**
 * Ten found while fixing round four, written after reading the matcher (so not held out): the neighbours of its
 * fixes in other words ("not excluded", "cannot be ruled out", an eGFR trend, "except" after a denial, an
 * allergy list, "nil by mouth", a test not done, "no LMP recorded", ICH, "creat clearance"). Against the reading
 * as it was before round four: 5 dangerous, 4 wrong (decided over a doubt it had read as a denial: doxycycline
 * with pregnancy not excluded or untested, apixaban with bleeding not ruled out), 1 abstained.
 */
const round4Found = read('safety-corpus-round4-found.json');

/** How one outcome counts. */
function judge(result: DeliberationResult, contraindicated: string[], expected: string): Verdict {
  const decided = result.status === 'decided' ? result.decision?.option : undefined;
  if (decided !== undefined && contraindicated.includes(decided)) return 'dangerous';
  if (decided === undefined) return expected === 'abstain' ? 'right' : 'abstained';
  return decided === expected ? 'right' : 'wrong';
}

function count(verdicts: Verdict[]): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { dangerous: 0, wrong: 0, right: 0, abstained: 0 };
  for (const v of verdicts) counts[v] += 1;
  return counts;
}

describe('safety corpus with the knowledge back-end', () => {
  let options: DeliberateOptions;
  beforeAll(async () => {
    const built = await createBackend(loadConfig({}));
    options = { backend: built.backend, schemes: built.schemes };
  });

  it('has at least 40 cases across the topics of the example knowledge base', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(corpus.map((c) => c.topic.split(':')[0]));
    for (const topic of [
      'allergy',
      'pregnancy',
      'kidney',
      'device',
      'bleeding',
      'experiencer',
      'negation',
      'route',
    ]) {
      expect(kinds.has(topic), topic).toBe(true);
    }
    expect(corpus.some((c) => c.topic.startsWith('negative question'))).toBe(true);
  });

  async function run(entries: CorpusCase[]) {
    const rows: Array<{
      id: string;
      verdict: Verdict;
      status: string;
      decision?: string;
      assumedAbsent?: string[];
    }> = [];
    for (const entry of entries) {
      const kase: Case = CaseSchema.parse({
        id: entry.id,
        facts: entry.facts,
        question: entry.question,
        ...(entry.questionType ? { questionType: entry.questionType } : {}),
        ...(entry.options ? { options: entry.options } : {}),
      });
      const result = await deliberate(kase, options);
      // A question asked in the negative is refused as such: a typed abstention, never a failure.
      if (/^negative(:| question)/.test(entry.topic)) {
        expect(result.status, entry.id).toBe('unsupported-question');
        expect(result.explanation, entry.id).toMatch(/^No decision: argmed does not argue this question: the question is asked in the negative/);
        expect(result.calls, entry.id).toEqual([]);
      }
      if (result.status === 'insufficient-knowledge' || result.status === 'incomplete') {
        expect(
          result.pending?.every((p) => p.justifiedIf.length > 0),
          entry.id,
        ).toBe(true);
      }
      rows.push({
        id: entry.id,
        verdict: judge(result, entry.contraindicated, entry.expect),
        status: result.status,
        decision: result.decision?.option,
        ...(result.assumedAbsent ? { assumedAbsent: result.assumedAbsent } : {}),
      });
    }
    return { rows, counts: count(rows.map((r) => r.verdict)) };
  }

  it('never decides a contraindicated option, and reaches the expected outcomes', async () => {
    const { rows, counts } = await run(corpus);
    console.info(`safety corpus (${rows.length} cases): ${JSON.stringify(counts)}`);
    expect(rows.filter((r) => r.verdict === 'dangerous')).toEqual([]);
    expect(rows.filter((r) => r.verdict !== 'right')).toEqual([]);
  }, 60_000);

  /** Sets judged by the held-out rule: never dangerous, never wrong (abstaining is allowed). */
  const heldOutSets: Array<{ name: string; entries: CorpusCase[]; size?: number }> = [
    { name: 'held-out variants', entries: heldOut },
    { name: 'new variants', entries: newVariants, size: 15 },
    { name: 'round three', entries: round3, size: 20 },
    { name: 'found in round three', entries: round3Found },
    { name: 'round four', entries: round4, size: 20 },
    { name: 'found in round four', entries: round4Found, size: 10 },
  ];
  for (const { name, entries, size } of heldOutSets) {
    it(`on the ${name}: never dangerous, never wrong (abstaining is allowed)`, async () => {
      const { rows, counts } = await run(entries);
      console.info(`${name} (${rows.length} cases): ${JSON.stringify(counts)}`);
      if (size !== undefined) expect(rows).toHaveLength(size);
      expect(rows.filter((r) => r.verdict === 'dangerous' || r.verdict === 'wrong')).toEqual([]);
    }, 60_000);
  }

  it('round four: a decision names every condition no fact mentions, and none the facts state or rule out', async () => {
    const { rows } = await run(round4);
    const errors: Array<{ id: string; missing: string[]; noise: string[] }> = [];
    for (const row of rows) {
      const want = round4.find((entry) => entry.id === row.id)?.assumedAbsent;
      if (row.status !== 'decided' || want === undefined) continue;
      const got = row.assumedAbsent ?? [];
      const missing = want.filter((label) => !got.includes(label));
      const noise = got.filter((label) => !want.includes(label));
      if (missing.length > 0 || noise.length > 0) errors.push({ id: row.id, missing, noise });
    }
    console.info(`round four assumptions: ${JSON.stringify(errors)}`);
    expect(errors).toEqual([]);
  }, 60_000);

  it('counts the examples the same way: they decide as before', async () => {
    const dir = join(import.meta.dirname, '../../examples/cases');
    const expected: Record<string, { expect: string; contraindicated: string[] }> = {
      'af-active-bleeding-none': { expect: 'abstain', contraindicated: ['A', 'B'] },
      'af-bleeding-risk-apixaban': { expect: 'A', contraindicated: [] },
      'aspirin-primary-prevention': { expect: 'no', contraindicated: [] },
      'cap-penicillin-allergy-undecided': { expect: 'abstain', contraindicated: ['A'] },
      'cds-penicillin-allergy-doxycycline': { expect: 'doxycycline', contraindicated: ['amoxicillin'] },
      'oa-naproxen-with-ppi': { expect: 'A', contraindicated: [] },
      'prompt-injection': { expect: 'B', contraindicated: ['A'] },
      't2d-first-line-metformin': { expect: 'A', contraindicated: [] },
      't2d-heart-failure-sglt2': { expect: 'B', contraindicated: [] },
      't2d-low-egfr-gliclazide': { expect: 'B', contraindicated: ['A'] },
    };
    const verdicts: Verdict[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const kase = CaseSchema.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      const want = expected[file.replace(/\.json$/, '')];
      if (!want) continue;
      verdicts.push(judge(await deliberate(kase, options), want.contraindicated, want.expect));
    }
    const counts = count(verdicts);
    console.info(`examples (${verdicts.length} cases): ${JSON.stringify(counts)}`);
    expect(counts.dangerous).toBe(0);
    expect(counts.right).toBe(verdicts.length);
  }, 60_000);
});
