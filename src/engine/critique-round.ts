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
 *
 * Fails closed (see doubts.ts): an argument whose verification did not complete, a question answered unknown,
 * and a successful challenge whose counter-argument could not be written each add a doubt to the graph that
 * keeps the argument from ever being IN.
 */
import type { Argument, ArgumentDraft, QuestionVerdict } from '../../agents/types.js';
import type { CriticalQuestion, Scheme } from '../../schemes/types.js';
import { type AgentCallOutcome, agentCall } from './agent-call.js';
import { argumentKey } from './argument-graph.js';
import { agentRequest, type DeliberationState } from './deliberation-state.js';
import { addDoubt, type DoubtInput } from './doubts.js';
import { attackKey, clearEarlierDoubts, isEarlierBackEndArgument } from './stale-counters.js';

/** A failed critical question of a verified argument. */
interface FailedQuestion {
  argument: Argument;
  scheme: Scheme;
  verdict: QuestionVerdict;
}

/** What verifying one argument gave: its failed questions, and the doubts it leaves. */
interface Verification {
  failed: FailedQuestion[];
  doubts: DoubtInput[];
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
 * @returns ids of the arguments to critique next: those this round added (identical ones already in the graph
 *   only gain an attack), and in a continued deliberation the earlier counters it gave again.
 */
export async function critiqueRound(
  state: DeliberationState,
  fresh: string[],
  round: number,
): Promise<string[]> {
  const { reask } = state;
  if (reask) {
    for (const id of fresh) {
      reask.asked.add(id);
      clearEarlierDoubts(state, id);
    }
  }
  const verified = await Promise.all(fresh.map((id) => verifyArgument(state, state.graph.argument(id))));
  if (reask) {
    fresh.forEach((id, i) => {
      if (!verified[i].doubts.some((d) => d.cause === 'not-verified')) reask.verified.add(id);
    });
  }
  const doubts: DoubtInput[] = verified.flatMap((v) => v.doubts);
  const planned = planCounters(
    state,
    verified.flatMap((v) => v.failed),
    doubts,
  );
  const drafts = await Promise.all(planned.map((plan) => askCounter(state, plan)));
  const added: string[] = [];
  drafts.forEach((outcome, index) => {
    const { argument, question, verdict } = planned[index];
    const doubt = (cause: DoubtInput['cause'], reason: string): void => {
      doubts.push({ target: argument, cause, question: question.id, reason });
    };
    if (!outcome.ok) {
      doubt('counter-failed', `${verdict.reason} (${outcome.error})`);
      return;
    }
    const draft = outcome.value;
    if (draft === null) {
      doubt('no-counter', verdict.reason);
      return;
    }
    const key = argumentKey(draft);
    if (!state.graph.hasIdentical(key) && !state.budget.allowsArgument(state.graph.size)) {
      doubt('counter-failed', `${verdict.reason} (the argument budget was spent)`);
      return;
    }
    const result = state.graph.addArgument(draft, round, 'generator', key);
    if (result.added) {
      added.push(result.argument.id);
      state.emit({ type: 'argument-added', argument: result.argument });
    } else if (reask && isEarlierBackEndArgument(state, result.argument)) {
      // An earlier counter given again is kept (same id), says what it says now (the facts it cites may have
      // changed), and is asked again: its own counters answered the old facts.
      state.graph.restate(result.argument.id, draft);
      state.graph.setAttackReason(result.argument.id, argument.id, verdict.reason);
      if (!reask.asked.has(result.argument.id)) {
        reask.asked.add(result.argument.id);
        added.push(result.argument.id);
      }
    }
    if (reask) reask.given.add(attackKey(result.argument.id, argument.id));
    if (result.argument.id === argument.id) {
      state.budget.recordFailure({
        role: 'generator',
        stage: 'counter',
        argument: argument.id,
        error: 'the counter-argument was identical to the challenged argument and was dropped',
      });
      doubt('no-counter', verdict.reason);
      return;
    }
    const attack = state.graph.addAttack(result.argument.id, argument.id, question.id, verdict.reason);
    if (attack) state.emit({ type: 'attack-added', attack });
  });
  for (const doubt of doubts) addDoubt(state, doubt);
  return added;
}

// verifyArgument and askCounter run once per argument and per counter: plain promise chains rather than async
// functions, whose suspended frames were a large share of what a 200-argument deliberation allocates.

/**
 * Verifies one argument. @returns its failed questions (with the argument and its scheme) and its doubts: one
 * per question answered unknown, or a single `not-verified` doubt when the call did not complete (failed,
 * skipped by a budget or the deadline, or answered without a verdict for every question).
 */
function verifyArgument(state: DeliberationState, argument: Argument): Promise<Verification> {
  const notVerified = (reason: string): Verification => ({
    failed: [],
    doubts: [{ target: argument, cause: 'not-verified', reason }],
  });
  const scheme = state.schemes.get(argument.scheme);
  if (!scheme) {
    const error = `scheme "${argument.scheme}" is not loaded; the argument was not verified`;
    state.budget.recordFailure({ role: 'verifier', stage: 'verify', argument: argument.id, error });
    return Promise.resolve(notVerified(error));
  }
  if (scheme.criticalQuestions.length === 0) return Promise.resolve({ failed: [], doubts: [] });
  const site = { stage: 'verify', role: 'verifier', argument: argument.id } as const;
  return agentCall(state, site, () =>
    state.backend.verifier.verify(agentRequest(state, { argument, scheme })),
  ).then((outcome) => {
    if (!outcome.ok) return notVerified(outcome.error);
    // A question answered twice is an answer that says two things; taking either one would be a guess.
    const twice = outcome.value.find((verdict, i) =>
      outcome.value.some((other, j) => j < i && other.question === verdict.question),
    );
    if (twice) {
      const error = `the verifier answered the critical question "${twice.question}" more than once`;
      state.budget.recordFailure({ role: 'verifier', stage: 'verify', argument: argument.id, error });
      return notVerified(error);
    }
    const byQuestion = new Map(outcome.value.map((verdict) => [verdict.question, verdict]));
    const missing = scheme.criticalQuestions.filter((q) => !byQuestion.has(q.id));
    // A back-end that recorded a failure answers no verdict at all: that argument was not verified, and the
    // failure it recorded is the reason.
    if (missing.length > 0) {
      const unanswered = missing.map((q) => q.id).join(', ');
      const recorded = state.budget.failures.filter(
        (f) => f.stage === 'verify' && f.argument === argument.id,
      );
      const why = recorded.length > 0 ? `: ${recorded[recorded.length - 1].error}` : '';
      return notVerified(`the verifier gave no valid answer to ${unanswered}${why}`);
    }
    if (state.budget.usage.argumentsVerified !== undefined) state.budget.usage.argumentsVerified += 1;
    const verification: Verification = { failed: [], doubts: [] };
    const assumed = new Set<string>();
    for (const question of scheme.criticalQuestions) {
      const verdict = byQuestion.get(question.id)!;
      if (verdict.verdict === 'fail') verification.failed.push({ argument, scheme, verdict });
      else if (verdict.verdict === 'unknown') {
        verification.doubts.push({
          target: argument,
          cause: 'unknown',
          question: question.id,
          reason: verdict.reason,
          ...(verdict.settle !== undefined ? { settle: verdict.settle } : {}),
          ...(verdict.facts !== undefined ? { facts: verdict.facts } : {}),
        });
      } else if (verdict.verdict !== 'pass') {
        return notVerified(`the verifier answered ${question.id} with "${String(verdict.verdict)}"`);
      }
      for (const item of verdict.assumedAbsent ?? []) assumed.add(item);
    }
    if (state.graph.graph.hasNode(argument.id)) {
      state.graph.setAssumedAbsent(argument.id, [...assumed]);
    }
    for (const verdict of outcome.value) {
      if (!scheme.criticalQuestions.some((q) => q.id === verdict.question)) {
        state.budget.recordFailure({
          role: 'verifier',
          stage: 'verify',
          argument: argument.id,
          error: `the verifier answered an unknown critical question "${verdict.question}"`,
        });
      }
    }
    return verification;
  });
}

/**
 * The counters to ask for, in order, within the room left under `maxArguments`. A failed question whose
 * counter cannot be asked for (counter-scheme not loaded, no room) adds a doubt to `doubts`.
 */
function planCounters(
  state: DeliberationState,
  failed: FailedQuestion[],
  doubts: DoubtInput[],
): PlannedCounter[] {
  const planned: PlannedCounter[] = [];
  let room = state.budget.limits.maxArguments - state.graph.size;
  for (const { argument, scheme, verdict } of failed) {
    const question = scheme.criticalQuestions.find((q) => q.id === verdict.question)!;
    const counterScheme = state.schemes.get(question.counterScheme);
    if (!counterScheme) {
      const error = `the counter-scheme "${question.counterScheme}" is not loaded`;
      state.budget.recordFailure({ role: 'verifier', stage: 'verify', argument: argument.id, error });
      doubts.push({ target: argument, cause: 'counter-failed', question: question.id, reason: error });
      continue;
    }
    if (room <= 0) {
      state.budget.markHit('maxArguments');
      doubts.push({
        target: argument,
        cause: 'counter-failed',
        question: question.id,
        reason: `${verdict.reason} (the argument budget was spent before its counter-argument)`,
      });
      continue;
    }
    room -= 1;
    planned.push({ argument, question, verdict, scheme: counterScheme });
  }
  return planned;
}

function askCounter(
  state: DeliberationState,
  plan: PlannedCounter,
): Promise<AgentCallOutcome<ArgumentDraft | null>> {
  const { argument, question, verdict, scheme } = plan;
  const site = { stage: 'counter', role: 'generator', argument: argument.id } as const;
  return agentCall(state, site, () =>
    state.backend.generator.counter(agentRequest(state, { argument, question, verdict, scheme })),
  );
}
