/**
 * Answers the critical questions of a decision argument (ASDM) from the knowledge base:
 *  - facts-hold: every finding the chosen indication (or claim) requires is stated by a fact; else FACT;
 *  - evidence: an indication of the option's treatment that fits the question exists (for yes/no/maybe,
 *    a claim for that answer that no fact contradicts); else EVID;
 *  - side-effects: no side-effect or contraindication rule of the treatment matches the patient; else ASSE
 *    for the most decisive one (unmitigated before mitigable before minor);
 *  - alternatives: no `strong` preference ranks another candidate option above it; else ASBD.
 */
import type { Option } from '../case.js';
import type { Assessment, Finding } from './assessment.js';
import type { CaseView, Grounded } from './case-view.js';
import type { SideEffectRule } from './knowledge-index.js';
import type { Treatment } from './types.js';
import {
  assumedAbsent,
  cite,
  exclusionsAssumedAbsent,
  findings,
  labels,
  notAssessed,
  passAssuming,
  short,
  unclearFacts,
  undecidable,
} from './describe.js';
import { betterDecisionDraft, decisionBasis, evidenceDraft, factDraft, sideEffectDraft } from './drafts.js';

const pass = (reason: string): Finding => ({ verdict: 'pass', reason });

/** The option an argument argues for, as the case (or the proposal) states it. */
export function optionById(view: CaseView, id: string): Option {
  return view.candidates().find((option) => option.id === id) ?? { id, text: id };
}

function factsHold(view: CaseView, option: Option): Finding {
  const { rule } = decisionBasis(view, option);
  if (!rule) return pass('The argument rests on no finding beyond the case itself.');
  const unclear = rule.missing.filter((id) => view.unclear(id).length > 0);
  if (rule.missing.length > 0 && unclear.length === rule.missing.length) {
    return {
      verdict: 'unknown',
      reason: `${cite(rule.rule)} requires ${labels(view, rule.missing)}; ${notAssessed(view, unclear)}.`,
      settle: `confirm whether the patient has ${labels(view, unclear)}`,
      facts: unclearFacts(view, unclear),
    };
  }
  if (rule.missing.length > 0) {
    return {
      verdict: 'fail',
      reason: `${cite(rule.rule)} requires ${labels(view, rule.missing)}; no fact of the case states it.`,
      counter: factDraft(view, rule.missing[0], rule.rule),
    };
  }
  return pass(`The case states ${findings(view, rule.present)}, as ${rule.rule.id} requires.`);
}

function evidence(view: CaseView, option: Option): Finding {
  const { resolved, rule, goal } = decisionBasis(view, option);
  const claim = resolved.answer
    ? `"${resolved.answer}" is the answer for this patient`
    : `${short(option.text)} achieves ${goal} for this patient`;
  const fail = (reason: string, facts: string[] = []): Finding => ({
    verdict: 'fail',
    reason,
    counter: evidenceDraft(claim, reason, facts),
  });
  const unknown = (reason: string, settle: string): Finding => ({ verdict: 'unknown', reason, settle });
  if (resolved.problem) {
    return unknown(
      `The knowledge base cannot assess it: ${resolved.problem}.`,
      `assess ${short(option.text)} for this patient from another source (the knowledge base does not know it)`,
    );
  }
  if (!rule && resolved.answer) {
    const other = (['yes', 'no', 'maybe'] as const).find(
      (answer) => answer !== resolved.answer && establishedClaim(view, answer),
    );
    return other
      ? fail(
          `The knowledge base's claim rules answer "${other}" to this question, which excludes "${resolved.answer}".`,
        )
      : unknown(
          `No claim rule of the knowledge base answers this question for this patient.`,
          `answer the question from another source (the knowledge base holds no rule for it)`,
        );
  }
  if (!rule) {
    return view.coversQuestion
      ? fail(
          `The knowledge base covers this question and holds no indication of ${resolved.treatment?.name} for it.`,
        )
      : unknown(
          `The knowledge base holds no indication of ${resolved.treatment?.name} that fits this question.`,
          `assess ${resolved.treatment?.name} for this question from another source`,
        );
  }
  if ('excluded' in rule && rule.excluded.size > 0) {
    const facts = [...new Set([...rule.excluded.values()].flat())];
    return fail(
      `${cite(rule.rule)} does not hold: the case states ${findings(view, rule.excluded)}.`,
      facts,
    );
  }
  const exclusions = 'excluded' in rule ? rule.open.filter((id) => rule.rule.unless.includes(id)) : [];
  if (exclusions.length > 0) return undecidable(view, rule.rule, exclusions, 'may or may not apply');
  const unless: readonly string[] = 'unless' in rule.rule ? (rule.rule.unless ?? []) : [];
  return passAssuming(`${cite(rule.rule)}: ${rule.rule.evidence}`, exclusionsAssumedAbsent(view, unless));
}

function sideEffects(view: CaseView, option: Option): Finding {
  const treatment = view.resolve(option).treatment;
  if (view.yesNoMaybe) return pass('An answer to a yes/no/maybe question has no side effects to weigh.');
  if (!treatment)
    return pass('The option names no treatment the knowledge base knows, so no side effect is weighed.');
  // Whatever the verdict, the harms no fact mentions were taken as absent: a defended decision rests on that.
  const assumed = unmentionedHarms(view, treatment);
  const finding = sideEffectFinding(view, treatment);
  return assumed.length > 0 ? { ...finding, assumedAbsent: assumed } : finding;
}

/** The conditions of the treatment's harms (contraindications first) that no fact mentions. */
function unmentionedHarms(view: CaseView, treatment: Treatment): string[] {
  const names = view.index.namesOf(treatment);
  const harms = view.index.sideEffectRules
    .filter((rule) => names.has(rule.treatment) && rule.severity !== 'minor')
    .sort((a, b) => Number(b.severity === 'contraindicated') - Number(a.severity === 'contraindicated'));
  return assumedAbsent(view, harms);
}

function sideEffectFinding(view: CaseView, treatment: Treatment): Finding {
  const [worst] = view.sideEffects(treatment);
  const decisive = worst !== undefined && worst.rule.severity !== 'minor' && worst.mitigation === undefined;
  const [open] = decisive ? [] : view.openSideEffects(treatment);
  if (open) return possibleHarm(view, treatment, open);
  if (!worst) {
    return pass(`No side-effect or contraindication rule of ${treatment.name} matches this patient's facts.`);
  }
  const effect = view.index.effectLabel(worst.rule.effect);
  const because = worst.rule.when.length > 0 ? findings(view, worst.present) : 'its risk for any patient';
  return {
    verdict: 'fail',
    reason: `${cite(worst.rule)}: ${treatment.name} risks ${effect} (${worst.rule.severity}), which matters because of ${because}.`,
    counter: sideEffectDraft(view, treatment, worst),
  };
}

/** The answer to a side-effect question when a harm may matter but could not be ruled out: unknown. */
export function possibleHarm(view: CaseView, treatment: Treatment, open: Grounded<SideEffectRule>): Finding {
  const unclear = unclearFacts(view, open.missing);
  return {
    verdict: 'unknown',
    reason:
      `${cite(open.rule)}: ${treatment.name} risks ${view.index.effectLabel(open.rule.effect)} (${open.rule.severity}) ` +
      `with ${labels(view, open.missing)}; ${notAssessed(view, open.missing)}.`,
    settle: `rule out ${labels(view, open.missing)} (see ${unclear.join(', ')})`,
    facts: unclear,
  };
}

function alternatives(view: CaseView, option: Option): Finding {
  const treatment = view.resolve(option).treatment;
  if (view.yesNoMaybe || !treatment)
    return pass('No preference rule of the knowledge base compares this option.');
  let open: Finding | undefined;
  for (const other of view.candidates()) {
    const better = other.id === option.id ? undefined : view.resolve(other).treatment;
    if (!better) continue;
    const isStrong = (p: { rule: { strength: string } }) => p.rule.strength === 'strong';
    const strong = view.preferences(better, treatment).find(isStrong);
    if (strong) {
      return {
        verdict: 'fail',
        reason: `${cite(strong.rule)}: ${better.name} achieves ${strong.rule.goal} better than ${treatment.name} with respect to ${strong.rule.criterion}.`,
        counter: betterDecisionDraft(view, strong, other, option),
      };
    }
    // A strong preference that may apply is not "no better option": the question stays open.
    const maybe = view.openPreferences(better, treatment).find(isStrong);
    if (maybe && !open) {
      open = undecidable(view, maybe.rule, maybe.open, `may rank ${better.name} above ${treatment.name}`);
    }
  }
  if (open) return open;
  return pass(
    `No strong preference of the knowledge base ranks another option above ${treatment.name} for this patient.`,
  );
}

/** Whether a claim rule for `answer` applies to this patient: its conditions stated, no exclusion stated or unclear. */
function establishedClaim(view: CaseView, answer: 'yes' | 'no' | 'maybe'): boolean {
  return view.bestClaim(answer)?.applies === 'yes';
}

/**
 * Assesses a decision argument for an option.
 * @param view the case view; @param optionId the option the argument argues for.
 */
export function assessDecision(view: CaseView, optionId: string): Assessment {
  const option = optionById(view, optionId);
  return {
    'facts-hold': factsHold(view, option),
    evidence: evidence(view, option),
    'side-effects': sideEffects(view, option),
    alternatives: alternatives(view, option),
  };
}
