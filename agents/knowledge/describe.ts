/**
 * Small wording helpers shared by the assessments: how rules, findings and options are cited in reasons
 * and argument texts. Reasons always name the rule (id and source) and the facts (ids) they rest on.
 */
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
