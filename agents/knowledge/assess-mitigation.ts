/**
 * Answers the critical questions of a mitigation argument (MITIG: measure M makes side effect S of D
 * acceptable): `effective` when a rule names M for S with D; `feasible` when that rule's conditions hold
 * for this patient and none of its exclusions does, unknown when what decides it could not be read (an
 * exclusion not stated is no exclusion; one that a fact may state, unread, is a doubt). A failure gives an
 * EVID counter-argument.
 */
import type { Assessment, Finding } from './assessment.js';
import type { CaseView } from './case-view.js';
import { cite, exclusionsAssumedAbsent, findings, labels, passAssuming, undecidable } from './describe.js';
import { evidenceDraft } from './drafts.js';

/**
 * Assesses a mitigation argument.
 * @param variables `D` a treatment id, `S` an effect id, `M` the measure as the rule words it.
 */
export function assessMitigation(view: CaseView, variables: Record<string, string>): Assessment {
  const treatment = view.index.treatment(variables.D ?? '');
  const names = treatment ? view.index.namesOf(treatment) : new Set<string>();
  const measure = (variables.M ?? '').trim().toLowerCase();
  const effect = view.index.effectLabel(variables.S ?? '');
  const rules = view.index.kb.mitigations.filter(
    (rule) =>
      rule.effect === variables.S &&
      rule.measure.trim().toLowerCase() === measure &&
      (rule.for.length === 0 || rule.for.some((id) => names.has(id))),
  );
  const fail = (claim: string, reason: string): Finding => ({
    verdict: 'fail',
    reason,
    counter: evidenceDraft(claim, reason),
  });
  const effective: Finding = rules[0]
    ? { verdict: 'pass', reason: `${cite(rules[0])}: ${rules[0].measure} prevents or reduces ${effect}.` }
    : fail(
        `${variables.M} prevents or reduces ${effect}`,
        `No rule of the knowledge base names this measure for ${effect}.`,
      );

  let feasible: Finding = fail(
    `${variables.M} can be used for this patient`,
    'No rule of the knowledge base covers this measure.',
  );
  // The rules in order of applicability: one that applies settles it; else one that may leaves it open.
  const order = { yes: 0, unknown: 1, no: 2 } as const;
  const ranked = rules.map(view.applicability).sort((a, b) => order[a.applies] - order[b.applies]);
  const best = ranked[0];
  if (best?.applies === 'yes') {
    const conditions =
      best.present.size > 0 ? `its conditions hold: ${findings(view, best.present)}` : 'it has no conditions';
    const exclusions = exclusionsAssumedAbsent(view, best.rule.unless);
    feasible = passAssuming(`${cite(best.rule)}: ${conditions}, and no exclusion is stated.`, exclusions);
  } else if (best?.applies === 'unknown') {
    feasible = undecidable(view, best.rule, best.open, `may or may not apply to this patient`);
  } else if (best) {
    const reason =
      best.excluded.size > 0
        ? `${cite(best.rule)} does not apply: the case states ${findings(view, best.excluded)}.`
        : `${cite(best.rule)} requires ${labels(view, best.missing)}, which the case does not state.`;
    feasible = fail(`${variables.M} can be used for this patient`, reason);
  }
  return { effective, feasible };
}
