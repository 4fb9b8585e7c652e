/**
 * Small wording helpers shared by the assessments: how rules, findings and options are cited in reasons
 * and argument texts. Reasons always name the rule (id and source) and the facts (ids) they rest on.
 */
import type { Finding } from './assessment.js';
import type { CaseView } from './case-view.js';

/** `rule-id (source)`. */
export function cite(rule: { id: string; source: string }): string {
  return `${rule.id} (${rule.source})`;
}

/** Concept labels joined: `penicillin allergy; community-acquired pneumonia`. */
export function labels(view: CaseView, conceptIds: readonly string[]): string {
  return conceptIds.map((id) => view.index.conceptLabel(id)).join('; ');
}

/** Findings with the facts that state them: `penicillin allergy (f2); eGFR below 30 (f4)`. */
export function findings(view: CaseView, present: ReadonlyMap<string, string[]>): string {
  return [...present].map(([id, facts]) => `${view.index.conceptLabel(id)} (${facts.join(', ')})`).join('; ');
}

/** The distinct fact ids of a presence map, in first-seen order. */
export function factIds(present: ReadonlyMap<string, string[]>): string[] {
  return [...new Set([...present.values()].flat())];
}

/** A text cut to `max` characters on a word boundary (option texts can be long). */
export function short(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : max)}…`;
}

/** The text with its first letter in upper case (sentences start with a drug or effect name). */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Ids of the facts that may state the concepts but could not be read, in case order. */
export function unclearFacts(view: CaseView, conceptIds: readonly string[]): string[] {
  return [...new Set(conceptIds.flatMap((id) => view.unclear(id)))];
}

/** Names the facts that may state the concepts but could not be read: `f2 ("…") may state it but was not assessed`. */
export function notAssessed(view: CaseView, conceptIds: readonly string[]): string {
  const ids = unclearFacts(view, conceptIds);
  const quoted = ids.map((id) => `${id} ("${short(view.facts.find((f) => f.id === id)?.text ?? '', 80)}")`);
  return `${quoted.join(', ')} may state it but ${ids.length === 1 ? 'was' : 'were'} not assessed`;
}

/**
 * The answer to a question that turns on whether a rule applies, when what decides it could not be read
 * (open-world: not a pass, not a failure).
 * @param rule the rule; @param conceptIds its conditions or exclusions that could not be read;
 * @param what what the rule would do, as a phrase (`would rank apixaban above warfarin`).
 */
export function undecidable(
  view: CaseView,
  rule: { id: string; source: string },
  conceptIds: readonly string[],
  what: string,
): Finding {
  const facts = unclearFacts(view, conceptIds);
  return {
    verdict: 'unknown',
    reason: `${cite(rule)} ${what} depending on ${labels(view, conceptIds)}; ${notAssessed(view, conceptIds)}.`,
    settle: `confirm whether the patient has ${labels(view, conceptIds)} (see ${facts.join(', ')})`,
    facts,
  };
}

/**
 * The labels of the conditions a pass takes as absent because no fact mentions them: for each rule, its
 * unmentioned conditions, unless a fact already rules out one of its conditions (then the rule fails
 * on what the case says, not on an assumption). Each label once, in rule order.
 * @param rules rules whose conditions (`when`) would, if all held, change the answer.
 */
export function assumedAbsent(view: CaseView, rules: ReadonlyArray<{ when: readonly string[] }>): string[] {
  const out = new Set<string>();
  for (const rule of rules) {
    const silent = rule.when.filter((id) => view.silent(id));
    const ruledOut = rule.when.some(
      (id) => !view.silent(id) && view.present(id).length === 0 && view.unclear(id).length === 0,
    );
    if (!ruledOut) for (const id of silent) out.add(view.index.conceptLabel(id));
  }
  return [...out];
}

/** The exclusions (`unless`) a pass takes as absent: each one alone would change the answer. */
export function exclusionsAssumedAbsent(view: CaseView, unless: readonly string[]): string[] {
  return assumedAbsent(view, unless.map((id) => ({ when: [id] })));
}

/** A passing finding, with what it takes as absent when that is anything. */
export function passAssuming(reason: string, assumed: readonly string[]): Finding {
  return assumed.length > 0
    ? { verdict: 'pass', reason, assumedAbsent: [...assumed] }
    : { verdict: 'pass', reason };
}
