/**
 * Answers the critical questions of a better-decision argument (ASBD: option `better` achieves the goal
 * better than option `worse` on criterion C): `comparison-holds` when a preference rule that applies to this
 * patient ranks the one treatment above the other (unknown when one may apply, depending on facts that could
 * not be read; else EVID); `better-side-effects` fails, with the ASSE counter-argument, when the better
 * option has a side effect that matters for this patient, and is unknown when one may.
 */
import type { Assessment, Finding } from './assessment.js';
import { optionById, possibleHarm } from './assess-decision.js';
import type { CaseView } from './case-view.js';
import { cite, findings, undecidable } from './describe.js';
import { evidenceDraft, sideEffectDraft } from './drafts.js';

/**
 * Assesses a better-decision argument.
 * @param variables `better` and `worse` option ids, `G` the goal, `C` the criterion.
 */
export function assessBetterDecision(view: CaseView, variables: Record<string, string>): Assessment {
  const better = optionById(view, variables.better ?? '');
  const worse = optionById(view, variables.worse ?? '');
  const betterTreatment = view.resolve(better).treatment;
  const worseTreatment = view.resolve(worse).treatment;
  const preferences =
    betterTreatment && worseTreatment ? view.preferences(betterTreatment, worseTreatment) : [];
  const preference = preferences.find((p) => p.rule.criterion === variables.C) ?? preferences[0];
  const maybe =
    betterTreatment && worseTreatment && !preference
      ? view.openPreferences(betterTreatment, worseTreatment)[0]
      : undefined;

  let comparison: Finding;
  if (maybe) {
    comparison = undecidable(
      view,
      maybe.rule,
      maybe.open,
      `may rank ${betterTreatment?.name} above ${worseTreatment?.name}`,
    );
  } else if (preference) {
    const when =
      preference.present.size > 0 ? ` for a patient with ${findings(view, preference.present)}` : '';
    comparison = {
      verdict: 'pass',
      reason: `${cite(preference.rule)} ranks ${betterTreatment?.name} above ${worseTreatment?.name}${when}.`,
    };
  } else {
    const reason = `No preference rule of the knowledge base that applies to this patient ranks ${better.text} above ${worse.text}.`;
    comparison = {
      verdict: 'fail',
      reason,
      counter: evidenceDraft(
        `${better.text} achieves ${variables.G} better than ${worse.text} with respect to ${variables.C}`,
        reason,
      ),
    };
  }

  let sideEffects: Finding = {
    verdict: 'pass',
    reason: `No side-effect rule of ${betterTreatment?.name ?? better.text} matches this patient.`,
  };
  const worst = betterTreatment ? view.sideEffects(betterTreatment)[0] : undefined;
  const open = betterTreatment && !worst ? view.openSideEffects(betterTreatment)[0] : undefined;
  if (betterTreatment && open) {
    sideEffects = possibleHarm(view, betterTreatment, open);
  } else if (betterTreatment && worst) {
    const effect = view.index.effectLabel(worst.rule.effect);
    sideEffects = {
      verdict: 'fail',
      reason: `${cite(worst.rule)}: ${betterTreatment.name} risks ${effect} (${worst.rule.severity}) for this patient.`,
      counter: sideEffectDraft(view, betterTreatment, worst),
    };
  }
  return { 'comparison-holds': comparison, 'better-side-effects': sideEffects };
}
