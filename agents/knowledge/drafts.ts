/**
 * Builders of the arguments the knowledge back-end makes, one per scheme. Each depends only on the rule
 * and the case, never on the argument it answers, so the same counter-argument comes out whichever
 * challenge asks for it (an ASSE against a decision and against a better-decision argument for the same
 * option is one argument, which the engine deduplicates by scheme and variables).
 */
import type { Option } from '../case.js';
import type { DraftSpec } from './assessment.js';
import type { Applicable, CaseView, Grounded, MatchedSideEffect, ResolvedOption } from './case-view.js';
import { capitalise, cite, factIds, findings, labels, short } from './describe.js';
import type { Claim, Indication, Mitigation, Preference, Treatment } from './types.js';

/** The rule a decision argument rests on, and the goal it serves. */
export interface DecisionBasis {
  resolved: ResolvedOption;
  /** The best indication (treatments) or claim (yes/no/maybe answers), if any. */
  rule?: Grounded<Indication> | Applicable<Claim>;
  goal: string;
}

/** The goal when the case states none: the indication's, else the first candidate indication's. */
function fallbackGoal(view: CaseView): string {
  if (view.yesNoMaybe) return `a correct answer to the question`;
  for (const option of view.candidates()) {
    const treatment = view.resolve(option).treatment;
    const goal = treatment && view.bestIndication(treatment)?.rule.goal;
    if (goal) return goal;
  }
  return 'the goal of the question';
}

/** Resolves an option to its treatment (or answer), best rule and goal. */
export function decisionBasis(view: CaseView, option: Option): DecisionBasis {
  const resolved = view.resolve(option);
  const rule = resolved.answer
    ? view.bestClaim(resolved.answer)
    : resolved.treatment
      ? view.bestIndication(resolved.treatment)
      : undefined;
  const ruleGoal = rule && 'goal' in rule.rule ? rule.rule.goal : undefined;
  return { resolved, rule, goal: view.kase.goal ?? ruleGoal ?? fallbackGoal(view) };
}

/** ASDM: the decision argument for one option. */
export function decisionDraft(view: CaseView, option: Option): DraftSpec {
  const { resolved, rule, goal } = decisionBasis(view, option);
  const shown = short(option.text);
  const base = { scheme: 'ASDM', kind: 'decision' as const, option: option.id };
  if (!rule) {
    return {
      ...base,
      variables: { F: 'the findings of the case', G: goal, D: shown },
      display: { D: shown },
      text: resolved.answer ? `Answer "${resolved.answer}".` : `Consider ${shown} for ${goal}.`,
      facts: [],
    };
  }
  const name = resolved.treatment?.name ?? shown;
  const what = resolved.answer ? `Answer "${resolved.answer}"` : capitalise(name);
  return {
    ...base,
    variables: { F: labels(view, rule.rule.when), G: goal, D: shown },
    display: { D: shown },
    text: `${resolved.answer ? what : `${what} for ${goal}`}: ${rule.rule.evidence} [${cite(rule.rule)}]`,
    facts: factIds(rule.present),
    source: cite(rule.rule),
  };
}

/** ASSE: a side effect of a treatment that matters for this patient. */
export function sideEffectDraft(view: CaseView, treatment: Treatment, matched: MatchedSideEffect): DraftSpec {
  const rule = matched.rule;
  const effect = view.index.effectLabel(rule.effect);
  const because = rule.when.length > 0 ? labels(view, rule.when) : 'its risk for any patient';
  const severity = rule.severity === 'contraindicated' ? 'a contraindication' : `${rule.severity} severity`;
  const shownFindings = rule.when.length > 0 ? findings(view, matched.present) : because;
  return {
    scheme: 'ASSE',
    kind: 'belief',
    variables: { D: treatment.id, S: rule.effect, F: because },
    display: { D: treatment.name, S: effect },
    text: `${capitalise(treatment.name)} risks ${effect} (${severity}), unacceptable for this patient because of ${shownFindings}${rule.note ? `: ${rule.note}` : ''} [${cite(rule)}]`,
    facts: factIds(matched.present),
    source: cite(rule),
  };
}

/** MITIG: a measure that makes a side effect acceptable for this patient. */
export function mitigationDraft(
  view: CaseView,
  treatment: Treatment,
  mitigation: Grounded<Mitigation>,
): DraftSpec {
  const rule = mitigation.rule;
  const effect = view.index.effectLabel(rule.effect);
  return {
    scheme: 'MITIG',
    kind: 'belief',
    variables: { D: treatment.id, S: rule.effect, M: rule.measure },
    display: { D: treatment.name, S: effect },
    text: `${capitalise(effect)} with ${treatment.name} can be prevented or reduced (${rule.measure}), so ${treatment.name} remains acceptable [${cite(rule)}]`,
    facts: factIds(mitigation.present),
    source: cite(rule),
  };
}

/** ASBD: one option achieves the goal better than another. `option` is the better one. */
export function betterDecisionDraft(
  view: CaseView,
  preference: Grounded<Preference>,
  better: Option,
  worse: Option,
): DraftSpec {
  const rule = preference.rule;
  // Treatment names read better than long option texts ("apixaban", not "Apixaban 5 mg twice daily").
  const name = (option: Option) => view.resolve(option).treatment?.name ?? short(option.text);
  const shown = { better: name(better), worse: name(worse) };
  const when = preference.present.size > 0 ? ` for a patient with ${findings(view, preference.present)}` : '';
  return {
    scheme: 'ASBD',
    kind: 'belief',
    option: better.id,
    variables: { better: better.id, worse: worse.id, G: rule.goal, C: rule.criterion },
    display: shown,
    text: `${capitalise(shown.better)} achieves ${rule.goal} better than ${shown.worse} with respect to ${rule.criterion}${when} [${cite(rule)}]`,
    facts: factIds(preference.present),
    source: cite(rule),
  };
}

/** EVID: a claim the knowledge base cannot establish for this patient, with the reason. */
export function evidenceDraft(claim: string, reason: string, facts: string[] = []): DraftSpec {
  return {
    scheme: 'EVID',
    kind: 'belief',
    variables: { P: claim, R: reason },
    display: {},
    text: `It is not established that ${claim}: ${reason}`,
    facts,
  };
}

/** FACT: a finding a premise claims that no fact of the case states. */
export function factDraft(
  view: CaseView,
  conceptId: string,
  rule: { id: string; source: string },
): DraftSpec {
  const label = view.index.conceptLabel(conceptId);
  return {
    scheme: 'FACT',
    kind: 'belief',
    variables: { P: label },
    display: {},
    text: `No fact of the case states ${label}, which ${cite(rule)} requires.`,
    facts: [],
    source: cite(rule),
  };
}

/** CITE: a fact of the case that states a finding. */
export function citeDraft(factId: string, claim: string): DraftSpec {
  return {
    scheme: 'CITE',
    kind: 'belief',
    variables: { E: factId, P: claim },
    display: { E: `Fact ${factId} of the case` },
    text: `Fact ${factId} of the case states ${claim}.`,
    facts: [factId],
  };
}
