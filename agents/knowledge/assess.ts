/**
 * Dispatches an argument to the assessment of its scheme. Schemes the knowledge base has no rules for
 * (added by users) get no findings: the verifier answers their questions unknown (it cannot assess them,
 * which is not a pass).
 */
import type { Argument } from '../types.js';
import { assessBetterDecision } from './assess-better-decision.js';
import { assessCite, assessEvidence, assessFact } from './assess-belief.js';
import { assessDecision } from './assess-decision.js';
import { assessMitigation } from './assess-mitigation.js';
import { assessSideEffect } from './assess-side-effect.js';
import type { Assessment } from './assessment.js';
import type { CaseView } from './case-view.js';

/**
 * The knowledge base's findings on an argument, by critical-question id. O(rules × facts) at worst.
 * @param view the case view; @param argument the argument to assess.
 */
export function assess(
  view: CaseView,
  argument: Pick<Argument, 'scheme' | 'option' | 'variables'>,
): Assessment {
  const variables = argument.variables;
  switch (argument.scheme) {
    case 'ASDM':
      return assessDecision(view, argument.option ?? variables.D ?? '');
    case 'ASSE':
      return assessSideEffect(view, variables);
    case 'MITIG':
      return assessMitigation(view, variables);
    case 'ASBD':
      return assessBetterDecision(view, variables);
    case 'FACT':
      return assessFact(view, variables);
    case 'CITE':
      return assessCite(view, variables);
    case 'EVID':
      return assessEvidence(view, variables);
    default:
      return {};
  }
}
