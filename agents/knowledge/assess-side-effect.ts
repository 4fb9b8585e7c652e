/**
 * Answers the critical questions of a side-effect argument (ASSE: D has side effect S, unacceptable for this
 * patient) from the knowledge base:
 *  - causation: a rule links the treatment (or its class) to the effect; else EVID;
 *  - likelihood-severity: a rule for that effect matches this patient and is not `minor`; else EVID;
 *  - mitigation: fails (counter MITIG) when a mitigation rule applies to this patient; unknown when one may,
 *    depending on a condition or exclusion that could not be read; contraindications are never mitigated.
 */
import type { Assessment, Finding } from './assessment.js';
import type { CaseView } from './case-view.js';
import { cite, findings, labels, undecidable } from './describe.js';
import { evidenceDraft, mitigationDraft } from './drafts.js';

const pass = (reason: string): Finding => ({ verdict: 'pass', reason });
const fail = (claim: string, reason: string): Finding => ({
  verdict: 'fail',
  reason,
  counter: evidenceDraft(claim, reason),
});

/**
 * Assesses a side-effect argument.
 * @param variables the argument's variables: `D` a treatment id, `S` an effect id.
 */
export function assessSideEffect(view: CaseView, variables: Record<string, string>): Assessment {
  const treatment = view.index.treatment(variables.D ?? '');
  const effectId = variables.S ?? '';
  const effect = view.index.effectLabel(effectId);
  const name = treatment?.name ?? variables.D ?? 'the treatment';
  const names = treatment ? view.index.namesOf(treatment) : new Set<string>();
  const rules = view.index.sideEffectRules.filter(
    (rule) => names.has(rule.treatment) && rule.effect === effectId,
  );
  const matched = treatment ? view.sideEffects(treatment).find((m) => m.rule.effect === effectId) : undefined;

  const causation = rules[0]
    ? pass(`${cite(rules[0])}: ${name} can cause ${effect}.`)
    : fail(`${name} causes ${effect}`, `No rule of the knowledge base links ${name} to ${effect}.`);

  const unacceptable = `${effect} from ${name} is unacceptable for this patient`;
  let severity: Finding;
  if (!matched) {
    const needed = rules[0] ? labels(view, rules[0].when) : 'any finding';
    severity = fail(
      unacceptable,
      `The findings that make ${effect} matter (${needed}) are not stated in the case.`,
    );
  } else if (matched.rule.severity === 'minor') {
    severity = fail(unacceptable, `${cite(matched.rule)} rates ${effect} as minor: an acceptable risk.`);
  } else {
    const because =
      matched.rule.when.length > 0 ? findings(view, matched.present) : 'its risk for any patient';
    severity = pass(`${cite(matched.rule)}: ${matched.rule.severity}, and it matters because of ${because}.`);
  }

  let mitigation: Finding;
  if (matched?.mitigation && treatment) {
    const rule = matched.mitigation.rule;
    const conditions =
      matched.mitigation.present.size > 0 ? ` (${findings(view, matched.mitigation.present)})` : '';
    mitigation = {
      verdict: 'fail',
      reason: `${cite(rule)}: ${rule.measure} prevents or reduces ${effect} and applies to this patient${conditions}.`,
      counter: mitigationDraft(view, treatment, matched.mitigation),
    };
  } else if (matched?.openMitigation) {
    const open = matched.openMitigation;
    mitigation = undecidable(view, open.rule, open.open, `may make ${effect} with ${name} acceptable (${open.rule.measure})`);
  } else if (matched?.rule.severity === 'contraindicated') {
    mitigation = pass(
      `${effect} is a contraindication (${cite(matched.rule)}): no measure makes ${name} acceptable.`,
    );
  } else {
    mitigation = pass(`No mitigation rule for ${effect} with ${name} applies to this patient.`);
  }
  return { causation, 'likelihood-severity': severity, mitigation };
}
