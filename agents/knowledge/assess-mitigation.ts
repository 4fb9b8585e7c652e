/**
 * Answers the critical questions of a mitigation argument (MITIG: measure M makes side effect S of D
 * acceptable): `effective` when a rule names M for S with D; `feasible` when that rule's conditions hold
 * for this patient and none of its exclusions does. A failure gives an EVID counter-argument.
 */
import type { Assessment, Finding } from './assessment.js';
import type { CaseView } from './case-view.js';
import { cite, findings, labels } from './describe.js';
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
  for (const rule of rules) {
    const grounded = view.ground(rule);
    const excluded = view.contradicting(rule.unless);
    if (grounded.missing.length === 0 && excluded.size === 0) {
      const conditions =
        grounded.present.size > 0
          ? `its conditions hold: ${findings(view, grounded.present)}`
          : 'it has no conditions';
      feasible = { verdict: 'pass', reason: `${cite(rule)}: ${conditions}, and no exclusion is stated.` };
      break;
    }
    const reason =
      excluded.size > 0
        ? `${cite(rule)} does not apply: the case states ${findings(view, excluded)}.`
        : `${cite(rule)} requires ${labels(view, grounded.missing)}, which the case does not state.`;
    feasible = fail(`${variables.M} can be used for this patient`, reason);
  }
  return { effective, feasible };
}
