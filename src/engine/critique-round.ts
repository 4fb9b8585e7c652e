/**
 * Round k of a deliberation (DESIGN.md "Data flow of one case"): the verifier asks every argument new in
 * round k-1 all the critical questions of its scheme in one call; for every failed question the generator
 * builds a counter-argument from the question's counter-scheme, which attacks the challenged argument.
 * Arguments are critiqued in parallel (bounded by the limiter); the results are added to the graph in the
 * order of the challenged arguments and their questions, so ids and events do not depend on timing.
 */
import type { Argument, ArgumentDraft, QuestionVerdict } from '../../agents/types.js';
import type { CriticalQuestion, Scheme } from '../../schemes/types.js';
import { agentCall } from './agent-call.js';
import { agentContext, type DeliberationState } from './deliberation-state.js';

interface Counter {
  challenged: string;
  question: CriticalQuestion;
  verdict: QuestionVerdict;
  draft: ArgumentDraft | null;
}

/**
 * Critiques the given arguments and adds the counter-arguments and attacks.
 * @param fresh ids of the arguments new in the previous round.
 * @param round the number of this round (given to the new arguments).
 * @returns ids of the arguments this round added (identical ones already in the graph only gain an attack).
 */
export async function critiqueRound(
  state: DeliberationState,
  fresh: string[],
  round: number,
): Promise<string[]> {
  const counters = await Promise.all(fresh.map((id) => critiqueArgument(state, state.graph.argument(id))));
  const added: string[] = [];
  for (const counter of counters.flat()) {
    if (counter.draft === null) continue;
    const identical = state.graph.hasIdentical(counter.draft);
    if (!identical && !state.budget.allowsArgument(state.graph.size)) continue;
    const result = state.graph.addArgument(counter.draft, round, 'generator');
    if (result.added) {
      added.push(result.argument.id);
      state.emit({ type: 'argument-added', argument: result.argument });
    }
    const attack = state.graph.addAttack(
      result.argument.id,
      counter.challenged,
      counter.question.id,
      counter.verdict.reason,
    );
    if (attack) state.emit({ type: 'attack-added', attack });
  }
  return added;
}

/** Verifies one argument, then asks for a counter-argument for each failed question (in parallel). */
async function critiqueArgument(state: DeliberationState, argument: Argument): Promise<Counter[]> {
  const scheme = state.schemes.get(argument.scheme);
  if (!scheme) {
    state.budget.recordFailure({
      role: 'verifier',
      stage: 'verify',
      argument: argument.id,
      error: `scheme "${argument.scheme}" is not loaded; the argument was not verified`,
    });
    return [];
  }
  if (scheme.criticalQuestions.length === 0) return [];
  const verified = await agentCall(state, { stage: 'verify', role: 'verifier', argument: argument.id }, () =>
    state.backend.verifier.verify({ ...agentContext(state), argument, scheme }),
  );
  if (!verified.ok) return [];
  // A back-end that recorded a failure answers no verdict at all: that argument was not verified.
  if (verified.value.length > 0 && state.budget.usage.argumentsVerified !== undefined) {
    state.budget.usage.argumentsVerified += 1;
  }
  const failed = verified.value.filter((verdict) => verdict.verdict === 'fail');
  const counters = await Promise.all(failed.map((verdict) => counterFor(state, argument, scheme, verdict)));
  return counters.filter((counter): counter is Counter => counter !== undefined);
}

/** Builds the counter-argument of one failed question, or records why none could be built. */
async function counterFor(
  state: DeliberationState,
  argument: Argument,
  scheme: Scheme,
  verdict: QuestionVerdict,
): Promise<Counter | undefined> {
  const fail = (error: string): undefined => {
    state.budget.recordFailure({ role: 'verifier', stage: 'verify', argument: argument.id, error });
    return undefined;
  };
  const question = scheme.criticalQuestions.find((q) => q.id === verdict.question);
  if (!question) return fail(`the verifier answered an unknown critical question "${verdict.question}"`);
  const counterScheme = state.schemes.get(question.counterScheme);
  if (!counterScheme) return fail(`the counter-scheme "${question.counterScheme}" is not loaded`);
  if (!state.budget.allowsArgument(state.graph.size)) return undefined;
  const outcome = await agentCall(state, { stage: 'counter', role: 'generator', argument: argument.id }, () =>
    state.backend.generator.counter({
      ...agentContext(state),
      argument,
      question,
      verdict,
      scheme: counterScheme,
    }),
  );
  if (!outcome.ok) return undefined;
  return { challenged: argument.id, question, verdict, draft: outcome.value };
}
