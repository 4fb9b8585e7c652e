/**
 * The better-decision round (ASBD): when decisions are left UNDEC only by their mutual exclusion, the
 * generator compares the tied candidates; each better-decision argument names the better option (`option`,
 * or `variables.better`) and the worse one (`variables.worse`) and attacks every candidate decision argument for the worse option.
 */
import type { ArgumentDraft } from '../../agents/types.js';
import { agentCall } from './agent-call.js';
import { candidateDecisions } from './candidate-decisions.js';
import { agentRequest, type DeliberationState } from './deliberation-state.js';
import type { ArgumentNode } from './types.js';

/** The question label of better-decision attacks. */
export const BETTER_DECISION = 'better-decision';

/**
 * Runs the round.
 * @param tied the tied decision arguments (at least two options).
 * @param round the number of this round.
 * @returns ids of the new better-decision arguments (to be verified like any other).
 */
export async function betterDecisionRound(
  state: DeliberationState,
  tied: ArgumentNode[],
  round: number,
): Promise<string[]> {
  const scheme = state.schemes.get(state.betterDecisionScheme);
  if (!scheme) {
    state.budget.recordFailure({
      role: 'comparer',
      stage: 'compare',
      error: `the better-decision scheme "${state.betterDecisionScheme}" is not loaded`,
    });
    return [];
  }
  const outcome = await agentCall(state, { stage: 'compare', role: 'comparer' }, () =>
    state.backend.generator.compare(agentRequest(state, { tied, scheme })),
  );
  if (!outcome.ok) return [];
  const tiedOptions = new Set(tied.map((d) => d.option));
  const added: string[] = [];
  for (const draft of outcome.value) {
    const worse = draft.variables.worse;
    if (!validComparison(state, draft, worse, tiedOptions)) continue;
    const identical = state.graph.hasIdentical(draft);
    if (!identical && !state.budget.allowsArgument(state.graph.size)) break;
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
  return added;
}

/** A comparison must name two different tied options; anything else is recorded and dropped. */
function validComparison(
  state: DeliberationState,
  draft: ArgumentDraft,
  worse: string | undefined,
  tiedOptions: Set<string | undefined>,
): boolean {
  const better = draft.option ?? draft.variables.better;
  let error: string | undefined;
  if (worse === undefined) error = 'a better-decision argument without variables.worse was dropped';
  else if (!tiedOptions.has(worse) || !tiedOptions.has(better))
    error = `a better-decision argument comparing options outside the tie ("${better}" over "${worse}") was dropped`;
  else if (worse === better)
    error = `a better-decision argument comparing "${worse}" with itself was dropped`;
  if (error === undefined) return true;
  state.budget.recordFailure({ role: 'comparer', stage: 'compare', error });
  return false;
}
