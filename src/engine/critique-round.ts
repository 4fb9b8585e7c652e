/**
 * Round k of a deliberation (DESIGN.md "Data flow of one case"): the verifier asks every argument new in
 * round k-1 all the critical questions of its scheme in one call; for every failed question the generator
 * builds a counter-argument from the question's counter-scheme, which attacks the challenged argument.
 *
 * Two parallel phases: all verifications at once (bounded by the limiter), then all counter-arguments at once.
 * The counters are planned in the order of the challenged arguments and their questions, and only as many as
 * the argument budget still has room for, so a round never pays for counters it would have to drop, and ids,
 * events and the graph do not depend on the timing of the calls. With equal latencies the round takes two
 * model round-trips, as verify-then-counter does for any one argument.
 */
import type { Argument, ArgumentDraft, QuestionVerdict } from '../../agents/types.js';
import type { CriticalQuestion, Scheme } from '../../schemes/types.js';
import { agentCall } from './agent-call.js';
import { argumentKey } from './argument-graph.js';
import { agentRequest, type DeliberationState } from './deliberation-state.js';

/** A failed critical question of a verified argument. */
interface FailedQuestion {
  argument: Argument;
  scheme: Scheme;
  verdict: QuestionVerdict;
}

/** A counter-argument to ask for: the challenged argument, the failed question and its counter-scheme. */
interface PlannedCounter {
  argument: Argument;
  question: CriticalQuestion;
  verdict: QuestionVerdict;
  scheme: Scheme;
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
  const verified = await Promise.all(fresh.map((id) => verifyArgument(state, state.graph.argument(id))));
  const planned = planCounters(state, verified.flat());
  const drafts = await Promise.all(planned.map((plan) => askCounter(state, plan)));
  const added: string[] = [];
  drafts.forEach((draft, index) => {
    if (draft === null) return;
    const { argument, question, verdict } = planned[index];
    const key = argumentKey(draft);
    if (!state.graph.hasIdentical(key) && !state.budget.allowsArgument(state.graph.size)) return;
    const result = state.graph.addArgument(draft, round, 'generator', key);
    if (result.added) {
      added.push(result.argument.id);
      state.emit({ type: 'argument-added', argument: result.argument });
    }
    if (result.argument.id === argument.id) {
      state.budget.recordFailure({
        role: 'generator',
        stage: 'counter',
        argument: argument.id,
        error: 'the counter-argument was identical to the challenged argument and was dropped',
      });
      return;
    }
    const attack = state.graph.addAttack(result.argument.id, argument.id, question.id, verdict.reason);
    if (attack) state.emit({ type: 'attack-added', attack });
  });
  return added;
}

// verifyArgument and askCounter run once per argument and per counter: plain promise chains rather than async
// functions, whose suspended frames were a large share of what a 200-argument deliberation allocates.

/** Verifies one argument; @returns its failed questions (with the argument and its scheme). */
function verifyArgument(state: DeliberationState, argument: Argument): Promise<FailedQuestion[]> {
  const scheme = state.schemes.get(argument.scheme);
  if (!scheme) {
    state.budget.recordFailure({
      role: 'verifier',
      stage: 'verify',
      argument: argument.id,
      error: `scheme "${argument.scheme}" is not loaded; the argument was not verified`,
    });
    return Promise.resolve([]);
  }
  if (scheme.criticalQuestions.length === 0) return Promise.resolve([]);
  const site = { stage: 'verify', role: 'verifier', argument: argument.id } as const;
  return agentCall(state, site, () =>
    state.backend.verifier.verify(agentRequest(state, { argument, scheme })),
  ).then((outcome) => {
    if (!outcome.ok) return [];
    // A back-end that recorded a failure answers no verdict at all: that argument was not verified.
    if (outcome.value.length > 0 && state.budget.usage.argumentsVerified !== undefined) {
      state.budget.usage.argumentsVerified += 1;
    }
    const failed: FailedQuestion[] = [];
    for (const verdict of outcome.value) {
      if (verdict.verdict === 'fail') failed.push({ argument, scheme, verdict });
    }
    return failed;
  });
}

/** The counters to ask for, in order, within the room left under `maxArguments`; records unusable verdicts. */
function planCounters(state: DeliberationState, failed: FailedQuestion[]): PlannedCounter[] {
  const planned: PlannedCounter[] = [];
  let room = state.budget.limits.maxArguments - state.graph.size;
  for (const { argument, scheme, verdict } of failed) {
    const fail = (error: string): void =>
      state.budget.recordFailure({ role: 'verifier', stage: 'verify', argument: argument.id, error });
    const question = scheme.criticalQuestions.find((q) => q.id === verdict.question);
    if (!question) {
      fail(`the verifier answered an unknown critical question "${verdict.question}"`);
      continue;
    }
    const counterScheme = state.schemes.get(question.counterScheme);
    if (!counterScheme) {
      fail(`the counter-scheme "${question.counterScheme}" is not loaded`);
      continue;
    }
    if (room <= 0) {
      state.budget.markHit('maxArguments');
      continue;
    }
    room -= 1;
    planned.push({ argument, question, verdict, scheme: counterScheme });
  }
  return planned;
}

function askCounter(state: DeliberationState, plan: PlannedCounter): Promise<ArgumentDraft | null> {
  const { argument, question, verdict, scheme } = plan;
  const site = { stage: 'counter', role: 'generator', argument: argument.id } as const;
  return agentCall(state, site, () =>
    state.backend.generator.counter(agentRequest(state, { argument, question, verdict, scheme })),
  ).then((outcome) => (outcome.ok ? outcome.value : null));
}
