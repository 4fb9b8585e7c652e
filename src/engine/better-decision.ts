/**
 * The better-decision round (ASBD): when decisions are left UNDEC only by their mutual exclusion, the
 * generator compares the tied candidates; each better-decision argument names the better option (`option`,
 * or `variables.better`) and the worse one (`variables.worse`) and attacks every candidate decision argument
 * for the worse option.
 *
 * Fails closed (see doubts.ts): a comparison that did not complete (the call failed or was skipped by a
 * budget or the deadline, an answer compared options outside the tie, a comparison found no room in the
 * argument budget) is not "no better option": every tied decision gets a `not-verified` doubt, so the
 * outcome is `incomplete`, never a tie that looks genuine. A comparer that answers it cannot tell (which is
 * better depends on what the case does not settle) leaves an open question on each (`insufficient-knowledge`).
 */
import type { ArgumentDraft } from '../../agents/types.js';
import { agentCall } from './agent-call.js';
import { candidateDecisions } from './candidate-decisions.js';
import { agentRequest, type DeliberationState } from './deliberation-state.js';
import { addDoubt, type DoubtInput } from './doubts.js';
import type { ArgumentNode } from './types.js';

/** The question label of better-decision attacks (and of the doubts a comparison that did not complete leaves). */
export const BETTER_DECISION = 'better-decision';

/**
 * Runs the round.
 * @param tied the tied decision arguments (at least two options).
 * @param round the number of this round.
 * @returns ids of the new better-decision arguments (to be verified like any other); doubts were added to the
 *   tied decisions when the comparison did not complete.
 */
export async function betterDecisionRound(
  state: DeliberationState,
  tied: ArgumentNode[],
  round: number,
): Promise<string[]> {
  const scheme = state.schemes.get(state.betterDecisionScheme);
  if (!scheme) {
    const error = `the better-decision scheme "${state.betterDecisionScheme}" is not loaded`;
    state.budget.recordFailure({ role: 'comparer', stage: 'compare', error });
    leaveUncompared(state, tied, error);
    return [];
  }
  const outcome = await agentCall(state, { stage: 'compare', role: 'comparer' }, () =>
    state.backend.generator.compare(agentRequest(state, { tied, scheme })),
  );
  if (!outcome.ok) {
    leaveUncompared(state, tied, outcome.error);
    return [];
  }
  if (!Array.isArray(outcome.value)) {
    leaveOpen(state, tied, outcome.value.reason);
    return [];
  }
  const tiedOptions = new Set(tied.map((d) => d.option));
  const added: string[] = [];
  const problems: string[] = [];
  for (const draft of outcome.value) {
    const worse = draft.variables.worse;
    const invalid = invalidComparison(draft, worse, tiedOptions);
    if (invalid) {
      state.budget.recordFailure({ role: 'comparer', stage: 'compare', error: invalid });
      problems.push(invalid);
      continue;
    }
    const identical = state.graph.hasIdentical(draft);
    if (!identical && !state.budget.allowsArgument(state.graph.size)) {
      problems.push('the argument budget was spent before every comparison was added');
      break;
    }
    const result = state.graph.addArgument(draft, round, 'better-decision');
    if (result.added) {
      added.push(result.argument.id);
      state.emit({ type: 'argument-added', argument: result.argument });
    }
    const targets = candidateDecisions(state.graph, state.betterDecisionScheme).filter(
      (d) => d.option === worse,
    );
    for (const target of targets) {
      const attack = state.graph.addAttack(result.argument.id, target.id, BETTER_DECISION, draft.text);
      if (attack) state.emit({ type: 'attack-added', attack });
    }
  }
  if (problems.length > 0) leaveUncompared(state, tied, problems.join('; '));
  return added;
}

/**
 * Marks the tied decisions whose comparison did not complete: each gets a `not-verified` doubt.
 * @param reason why the comparison did not complete.
 */
export function leaveUncompared(state: DeliberationState, tied: ArgumentNode[], reason: string): void {
  const options = optionList(tied);
  doubtEach(state, tied, {
    cause: 'not-verified',
    reason: `the comparison of the tied options ${options} did not complete: ${reason}`,
    settle: `compare the options ${options}: run the deliberation again once the calls succeed, or with a larger budget`,
  });
}

/** Marks the tied decisions the comparer could not tell apart: each gets an open question. */
function leaveOpen(state: DeliberationState, tied: ArgumentNode[], reason: string): void {
  const options = optionList(tied);
  doubtEach(state, tied, {
    cause: 'unknown',
    reason: `which of the tied options ${options} is better could not be told: ${reason}`,
    settle: `find out what decides between the options ${options}: ${reason}`,
  });
}

function optionList(tied: ArgumentNode[]): string {
  return [...new Set(tied.map((d) => d.option))].join(', ');
}

function doubtEach(
  state: DeliberationState,
  tied: ArgumentNode[],
  doubt: Pick<DoubtInput, 'cause' | 'reason' | 'settle'>,
): void {
  for (const target of tied) addDoubt(state, { target, question: BETTER_DECISION, ...doubt });
}

/** A comparison must name two different tied options: why this one does not, or undefined when it does. */
function invalidComparison(
  draft: ArgumentDraft,
  worse: string | undefined,
  tiedOptions: Set<string | undefined>,
): string | undefined {
  const better = draft.option ?? draft.variables.better;
  if (worse === undefined) return 'a better-decision argument without variables.worse was dropped';
  if (!tiedOptions.has(worse) || !tiedOptions.has(better))
    return `a better-decision argument comparing options outside the tie ("${better}" over "${worse}") was dropped`;
  if (worse === better) return `a better-decision argument comparing "${worse}" with itself was dropped`;
  return undefined;
}
