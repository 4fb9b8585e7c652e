/**
 * Round 0 of a deliberation (DESIGN.md "Data flow of one case"): the generator instantiates the decision
 * scheme once per candidate option, or proposes options (at most `maxDecisions`) when the case gives none.
 * A question asked in the negative ("which should be avoided?") is refused before any call: the decision
 * scheme argues for the option to choose, so it would answer such a question backwards.
 */
import { candidateOptions } from '../../agents/case.js';
import { negativeCue } from '../../agents/negative-question.js';
import type { ArgumentDraft } from '../../agents/types.js';
import { agentCall } from './agent-call.js';
import { agentRequest, type DeliberationState } from './deliberation-state.js';
import { isEarlierBackEndArgument } from './stale-counters.js';

/** What round 0 produced: the ids of the new arguments, or why nothing could be decided. */
export type ProposeOutcome =
  | { ok: true; added: string[] }
  | { ok: false; reason: string; status: 'failed' | 'unsupported-question' };

const failed = (reason: string): ProposeOutcome => ({ ok: false, status: 'failed', reason });

/**
 * Runs round 0: adds the decision arguments to the graph and fills `state.candidates`.
 * Drafts for options outside the case's candidates, and proposals past `maxDecisions`, are dropped and
 * recorded as failures.
 */
export async function proposeRound(state: DeliberationState): Promise<ProposeOutcome> {
  const cue = negativeCue(state.kase.question);
  if (cue !== undefined) {
    return {
      ok: false,
      status: 'unsupported-question',
      reason:
        `the question is asked in the negative ("${cue}"), and argmed argues which option should be chosen: it ` +
        'refuses rather than risk answering backwards. Ask which option is appropriate for this patient; the ' +
        'rejected options and their reasons then name what to avoid',
    };
  }
  const scheme = state.schemes.get(state.decisionScheme);
  if (!scheme) return failed(`the decision scheme "${state.decisionScheme}" is not loaded`);
  const given = candidateOptions(state.kase);
  const maxDecisions = state.budget.limits.maxDecisions;
  const outcome = await agentCall(state, { stage: 'propose', role: 'generator' }, () =>
    state.backend.generator.propose(agentRequest(state, { scheme, options: given, maxDecisions })),
  );
  if (!outcome.ok)
    return failed(`the generator could not propose decisions: ${outcome.error}`);

  const seen = new Set<string>();
  const drafts = outcome.value.filter((draft) => acceptDraft(state, draft, given !== undefined, seen));
  const added: string[] = [];
  for (const draft of drafts) {
    if (!state.budget.allowsArgument(state.graph.size)) break;
    const result = state.graph.addArgument(draft, 0, 'generator');
    if (!result.added) {
      // Proposing again over changed facts (a contested case): the decision says, and cites, what it does now.
      if (isEarlierBackEndArgument(state, result.argument)) state.graph.restate(result.argument.id, draft);
      continue;
    }
    added.push(result.argument.id);
    state.emit({ type: 'argument-added', argument: result.argument });
  }
  state.candidates = given ?? proposedOptions(drafts);
  const decisions = added.filter((id) => state.graph.argument(id).kind === 'decision');
  if (decisions.length === 0) {
    // A back-end that records its own failure and answers nothing leaves the cause in the failure list.
    const cause = state.budget.failures.findLast((f) => f.stage === 'propose')?.error;
    return failed(`the generator gave no decision argument${cause ? `: ${cause}` : ''}`);
  }
  return { ok: true, added };
}

/** Keeps decision drafts for known options (or, when proposing, the first `maxDecisions` options). */
function acceptDraft(
  state: DeliberationState,
  draft: ArgumentDraft,
  optionsGiven: boolean,
  seen: Set<string>,
): boolean {
  if (draft.kind !== 'decision') return true;
  const reject = (error: string): boolean => {
    state.budget.recordFailure({ role: 'generator', stage: 'propose', error });
    return false;
  };
  if (draft.option === undefined) return reject('a decision argument without an option was dropped');
  if (optionsGiven) {
    const known = candidateOptions(state.kase)?.some((option) => option.id === draft.option) ?? false;
    return known || reject(`a decision argument for the unknown option "${draft.option}" was dropped`);
  }
  if (seen.has(draft.option)) return true;
  if (seen.size < state.budget.limits.maxDecisions) {
    seen.add(draft.option);
    return true;
  }
  return reject(`a proposal past maxDecisions (${state.budget.limits.maxDecisions}) was dropped`);
}

/** The options the generator proposed, named by the decision variable when it has one. */
function proposedOptions(drafts: ArgumentDraft[]): Array<{ id: string; text: string }> {
  const options = new Map<string, string>();
  for (const draft of drafts) {
    if (draft.kind !== 'decision' || draft.option === undefined || options.has(draft.option)) continue;
    options.set(draft.option, draft.variables.D ?? draft.variables.decision ?? draft.option);
  }
  return [...options].map(([id, text]) => ({ id, text }));
}
