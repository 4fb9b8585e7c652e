/**
 * Observation (laboratory) -> a fact for each recent result (final, amended, corrected or preliminary;
 * within `RECENT_DAYS` of the call; the latest per test), with value and unit, the lab's interpretation,
 * and concept codes: the test's own (`egfr`), `<test>-high`/`-low` from the interpretation, and threshold
 * concepts (`renal-impairment` below an eGFR of 60) when the unit is the expected one.
 */
import { conceptsOf, conceptText, rawCodes } from './concept-map.js';
import type { CdsFact, Observation } from './types.js';

/** Results older than this are not "recent" and are left out. */
export const RECENT_DAYS = 90;
/** Most lab facts a case gets. */
export const MAX_LAB_FACTS = 30;

interface Threshold {
  /** Units (UCUM code or printed unit) the limits are written in. */
  unit: RegExp;
  below?: Array<[number, string[]]>;
  above?: Array<[number, string[]]>;
}

/** Value thresholds per test concept; the first matching limit wins. */
export const LAB_THRESHOLDS: Record<string, Threshold> = {
  egfr: {
    unit: /^mL\/min/i,
    below: [
      [30, ['severe-renal-impairment', 'renal-impairment']],
      [60, ['renal-impairment']],
    ],
  },
  potassium: {
    unit: /^mmol\/L$|^meq\/L$/i,
    above: [[5.5, ['hyperkalemia']]],
    below: [[3.5, ['hypokalemia']]],
  },
  inr: { unit: /^(\{INR\}|INR|1|)$/i, above: [[3, ['inr-high']]] },
  hba1c: { unit: /^%$/, above: [[6.5, ['hba1c-high']]] },
  platelets: {
    unit: /^10\*3\/uL$|^10\^3\/uL$|^x?10\*9\/L$|^10\^9\/L$/i,
    below: [[100, ['thrombocytopenia']]],
  },
};

/** Short names of the tests the table knows, as clinicians write them. */
const SHORT_NAMES: Record<string, string> = {
  egfr: 'eGFR',
  creatinine: 'creatinine',
  potassium: 'potassium',
  inr: 'INR',
  hba1c: 'HbA1c',
  alt: 'ALT',
  platelets: 'platelets',
};

const RESULT_STATUSES = new Set(['final', 'amended', 'corrected', 'preliminary']);
const INTERPRETATION: Record<string, string> = {
  H: 'high',
  HH: 'high',
  HU: 'high',
  L: 'low',
  LL: 'low',
  LU: 'low',
};

/** When the result was taken (ms), or undefined when the resource does not say. */
export function observedAt(observation: Observation): number | undefined {
  const when = observation.effectiveDateTime ?? observation.issued;
  const ms = when ? Date.parse(when) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

function thresholdConcepts(concept: string, value: number, unit: string): string[] {
  const threshold = LAB_THRESHOLDS[concept];
  if (!threshold?.unit.test(unit)) return [];
  for (const [limit, codes] of threshold.below ?? []) if (value < limit) return codes;
  for (const [limit, codes] of threshold.above ?? []) if (value > limit) return codes;
  return [];
}

function valueText(observation: Observation): { text?: string; value?: number; unit: string } {
  const quantity = observation.valueQuantity;
  if (quantity?.value !== undefined) {
    const unit = quantity.code ?? quantity.unit ?? '';
    const shown = quantity.unit ?? quantity.code ?? '';
    return {
      text: `${quantity.comparator ?? ''}${quantity.value}${shown ? ` ${shown}` : ''}`,
      value: quantity.value,
      unit,
    };
  }
  return { text: observation.valueString ?? conceptText(observation.valueCodeableConcept), unit: '' };
}

/**
 * Facts of the recent laboratory results.
 * @param observations the resources with their references.
 * @param nowMs the time of the call.
 * Cost: O(n log n) for the sort by date.
 */
export function labFacts(
  observations: Array<{ resource: Observation; source: string }>,
  nowMs: number,
): CdsFact[] {
  const oldest = nowMs - RECENT_DAYS * 86_400_000;
  const recent = observations
    .filter(({ resource }) => RESULT_STATUSES.has(resource.status))
    .filter(({ resource }) => (observedAt(resource) ?? nowMs) >= oldest)
    .sort((a, b) => (observedAt(b.resource) ?? 0) - (observedAt(a.resource) ?? 0));
  const seen = new Set<string>();
  const facts: CdsFact[] = [];
  for (const { resource, source } of recent) {
    const name = conceptText(resource.code);
    const { text, value, unit } = valueText(resource);
    if (!name || !text) continue;
    const tests = conceptsOf('lab', resource.code);
    const key = tests[0] ?? name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const codes = new Set([...tests, ...rawCodes(resource.code)]);
    const flags = (resource.interpretation ?? [])
      .map((i) => INTERPRETATION[i.coding?.find((c) => c.code)?.code ?? ''])
      .filter(Boolean);
    for (const test of tests) {
      for (const flag of flags) codes.add(`${test}-${flag}`);
      if (value !== undefined) for (const code of thresholdConcepts(test, value, unit)) codes.add(code);
    }
    const when = resource.effectiveDateTime ?? resource.issued;
    // The short name first ("eGFR 24 mL/min"), so rules that read a measured value find it next to its name.
    const short = tests.map((test) => SHORT_NAMES[test]).find(Boolean);
    const details = [short ? name : undefined, flags[0], when?.slice(0, 10)].filter(Boolean).join('; ');
    facts.push({
      id: `lab-${facts.length + 1}`,
      text: `Lab: ${short ?? name} ${text}${details ? ` (${details})` : ''}.`,
      codes: [...codes],
      source,
    });
    if (facts.length >= MAX_LAB_FACTS) break;
  }
  return facts;
}
