/**
 * The deliberation loop (DESIGN.md "Data flow of one case"): round 0 proposes decision arguments; each later
 * round critiques the arguments new in the round before; the dialogue stops when a round adds nothing or a
 * budget is hit; exclusive decisions attack each other; the graph is solved under grounded semantics; a tie
 * between decisions gets one better-decision round; the result carries the decision and its explanation.
 * Agent failures never escape as exceptions: they are recorded, and a run left with nothing to decide ends
 * `failed` with the reason.
 */
import pLimit from 'p-limit';
import { type Case, type NormalisedFact, normaliseFacts, type Option } from '../../agents/case.js';
import { loadSchemes, type SchemeRegistry } from '../../schemes/load.js';
import { ArgumentGraph } from './argument-graph.js';
import { betterDecisionRound, leaveUncompared } from './better-decision.js';
import { DEFAULT_BETTER_DECISION_SCHEME } from './candidate-decisions.js';
import { type Budget, createBudget } from './budget.js';
import { classifyOutcome, type Outcome } from './classify-outcome.js';
import { critiqueRound } from './critique-round.js';
import type { DeliberationState } from './deliberation-state.js';
import { addDoubt } from './doubts.js';
import { addExclusiveAttacks } from './exclusive-attacks.js';
import { explain } from './explain.js';
import { explanationText } from './explanation-text.js';
import { proposeRound } from './propose-round.js';
import { type GraphSolution, solveGraph } from './solve-graph.js';
import { startReask, sweepStaleCounters } from './stale-counters.js';
import { createStopSignal, type StopSignal } from './stop-signal.js';
import {
  type Budgets,
  DEFAULT_BUDGETS,
  type DeliberateOptions,
  type DeliberationEvent,
  type DeliberationGraph,
  type DeliberationResult,
  type JustificationStep,
} from './types.js';

/**
 * Deliberates over a case.
 * @param kase a parsed case (`CaseSchema.parse`); its `settings` override `DEFAULT_BUDGETS`, and
 *   `options.budgets` override both.
 * @param options the back-end, budgets, cancellation, event sink and schemes (see `DeliberateOptions`).
 * @returns the result; never rejects for agent failures (status `failed` with the reason instead).
 * Cost: at most `maxRounds + 2` sequential model round-trips per phase; engine work O(|A| + |R|) per solve.
 * @example
 * const result = await deliberate(kase, { backend: createKnowledgeBackend(kb) });
 * console.log(result.status, result.decision?.option, result.explanation);
 */
export async function deliberate(kase: Case, options: DeliberateOptions): Promise<DeliberationResult> {
  const limits = effectiveBudgets(kase, options.budgets);
  const budget = createBudget(limits);
  const stop = createStopSignal(limits.deadlineMs, options.signal);
  const graph = new ArgumentGraph();
  const emit = emitter(options);
  try {
    const state = await newState(kase, options, graph, budget, stop, emit);
    return await run(state);
  } catch (error) {
    const reason = `internal error: ${error instanceof Error ? error.message : String(error)}`;
    return failedResult(graph, budget, reason, stop.reason() === 'aborted', emit);
  } finally {
    stop.dispose();
  }
}

async function run(state: DeliberationState): Promise<DeliberationResult> {
  const { budget } = state;
  const started = budget.elapsed();
  const proposed = await proposeRound(state);
  endRound(state, 0, proposed.ok ? proposed.added.length : 0, started);
  if (!proposed.ok) {
    return failedResult(
      state.graph,
      budget,
      proposed.reason,
      state.stop.reason() === 'aborted',
      state.emit,
      state,
      proposed.status,
    );
  }
  return settle(state, await critiqueUntilQuiet(state, proposed.added, 1));
}

/**
 * Continues a deliberation from an existing graph (a contested case's revision) instead of from scratch:
 * critique rounds run from `fresh` only (a contributed argument to verify, the arguments a corrected fact
 * touches), the earlier counters those verifications no longer give are removed (stale-counters.ts), then the
 * graph is settled exactly as `deliberate` settles it (exclusive attacks, grounded
 * labelling, the same outcome classification, a better-decision round on a tie, the explanation). With
 * `fresh` empty no agent is called: the graph is only re-solved.
 * @param kase the case as it now stands (a corrected fact already applied).
 * @param graph the revision's graph, already edited by the contribution; labelled anew here.
 * @param fresh ids of the arguments to verify first.
 * @param options as for `deliberate`, plus the candidate options of the deliberation continued, and
 *   `proposeAgain` when the facts changed: the decisions are then proposed again (see `proposeAgain`).
 *   Default false.
 * @returns a result whose `usage` counts only this continuation. Never rejects for agent failures.
 * Cost: O(|A| + |R|) per solve, plus the agent calls the fresh arguments lead to.
 */
export async function continueDeliberation(
  kase: Case,
  graph: ArgumentGraph,
  fresh: readonly string[],
  options: DeliberateOptions & { candidates?: Option[]; proposeAgain?: boolean },
): Promise<DeliberationResult> {
  const limits = effectiveBudgets(kase, options.budgets);
  const budget = createBudget(limits);
  const stop = createStopSignal(limits.deadlineMs, options.signal);
  const emit = emitter(options);
  try {
    const state = await newState(kase, options, graph, budget, stop, emit);
    state.candidates = options.candidates ?? [];
    state.reask = startReask(graph);
    let last = 0;
    graph.graph.forEachNode((_id, attributes) => {
      if (attributes.round > last) last = attributes.round;
    });
    const asked = [...fresh];
    if (options.proposeAgain) asked.push(...(await proposeAgain(state)));
    const round = await critiqueUntilQuiet(state, asked, last + 1);
    sweepStaleCounters(state);
    return await settle(state, Math.max(round, last));
  } catch (error) {
    const reason = `internal error: ${error instanceof Error ? error.message : String(error)}`;
    return failedResult(graph, budget, reason, stop.reason() === 'aborted', emit);
  } finally {
    stop.dispose();
  }
}

/**
 * Proposes the decisions again over changed facts: what the generator proposes depends on them. A decision
 * proposed again keeps its id and says (and cites) what it does now; a case that gives no options may get new
 * candidates (heart failure makes an SGLT2 inhibitor one), and its earlier candidates stay (their decision
 * arguments are asked again with the others). A proposal that fails is recorded in `failures` and changes
 * nothing. @returns ids of the new decision arguments.
 */
async function proposeAgain(state: DeliberationState): Promise<string[]> {
  const earlier = state.candidates;
  const proposed = await proposeRound(state);
  const known = new Set(earlier.map((option) => option.id));
  state.candidates = [...earlier, ...state.candidates.filter((option) => !known.has(option.id))];
  // Not `ok` also when every proposal was already in the graph: nothing new, which is no failure here.
  return proposed.ok ? proposed.added : [];
}

/** Events go to the caller's listener; a listener's bug must not break the deliberation it listens to. */
function emitter(options: DeliberateOptions): (event: DeliberationEvent) => void {
  return (event) => {
    try {
      options.onEvent?.(event);
    } catch {
      // Ignored on purpose (see above).
    }
  };
}

async function newState(
  kase: Case,
  options: DeliberateOptions,
  graph: ArgumentGraph,
  budget: Budget,
  stop: StopSignal,
  emit: (event: DeliberationEvent) => void,
): Promise<DeliberationState> {
  return {
    kase,
    facts: normaliseFacts(kase.facts),
    backend: options.backend,
    schemes: options.schemes ?? (await defaultSchemes()),
    decisionScheme: options.decisionScheme ?? 'ASDM',
    betterDecisionScheme: options.betterDecisionScheme ?? DEFAULT_BETTER_DECISION_SCHEME,
    graph,
    budget,
    limit: pLimit(Math.max(1, Math.floor(budget.limits.concurrency))),
    stop,
    candidates: [],
    emit,
    listening: options.onEvent !== undefined,
  };
}

/**
 * Ends a deliberation whose critique rounds are done: exclusive attacks, solve, classify; a tie between
 * decisions gets one better-decision round (a comparison that cannot run or complete leaves doubts on the
 * tied decisions: `incomplete`, not a tie); then the result. @param lastRound the last round that ran.
 */
async function settle(state: DeliberationState, lastRound: number): Promise<DeliberationResult> {
  const { budget } = state;
  let round = lastRound;
  addExclusiveAttacks(state);
  let solution = solve(state);
  let outcome = classifyOutcome(state, solution);
  if (outcome.status === 'undecided' && new Set(outcome.tied.map((d) => d.option)).size >= 2) {
    if (canGoOn(state)) {
      const roundStart = budget.elapsed();
      round += 1;
      const added = await betterDecisionRound(state, outcome.tied, round);
      endRound(state, round, added.length, roundStart);
      if (added.length > 0) round = await critiqueUntilQuiet(state, added, round + 1);
    } else {
      const why = state.stop.reason() === 'aborted' ? 'the deliberation was aborted' : 'the deadline passed';
      leaveUncompared(state, outcome.tied, `${why} before the comparison`);
    }
    addExclusiveAttacks(state);
    solution = solve(state);
    outcome = classifyOutcome(state, solution);
  }
  return finalResult(state, solution, outcome, round + 1);
}

/**
 * Runs critique rounds from `fresh` until a round adds nothing, `maxRounds` rounds have run, or the
 * deliberation is stopped. @returns the number of the last round that ran.
 */
async function critiqueUntilQuiet(state: DeliberationState, fresh: string[], first: number): Promise<number> {
  let pending = fresh;
  let round = first;
  while (pending.length > 0) {
    if (round - first >= state.budget.limits.maxRounds) {
      state.budget.markHit('maxRounds');
      leaveUnverified(
        state,
        pending,
        'the round budget (maxRounds) ended the dialogue before its critical questions were asked',
      );
      break;
    }
    if (!canGoOn(state)) {
      const why = state.stop.reason() === 'aborted' ? 'the deliberation was aborted' : 'the deadline passed';
      leaveUnverified(state, pending, `${why} before its critical questions were asked`);
      break;
    }
    const roundStart = state.budget.elapsed();
    pending = await critiqueRound(state, pending, round);
    endRound(state, round, pending.length, roundStart);
    round += 1;
  }
  return round - 1;
}

/** Marks arguments the dialogue stopped before verifying: each gets a `not-verified` doubt. */
function leaveUnverified(state: DeliberationState, ids: string[], reason: string): void {
  for (const id of ids) addDoubt(state, { target: state.graph.argument(id), cause: 'not-verified', reason });
}

/** False once the deadline passed or the caller aborted (marking the deadline as a budget hit). */
function canGoOn(state: DeliberationState): boolean {
  const reason = state.stop.reason();
  if (reason === 'deadline') state.budget.markHit('deadlineMs');
  return reason === undefined;
}

function endRound(state: DeliberationState, round: number, added: number, startedAt: number): void {
  const ms = state.budget.elapsed() - startedAt;
  state.budget.usage.roundMs.push(ms);
  state.emit({ type: 'round-done', round, added, ms });
}

function solve(state: DeliberationState): GraphSolution {
  const solution = solveGraph(state.graph);
  if (state.listening) state.emit({ type: 'solved', labels: Object.fromEntries(solution.labels) });
  return solution;
}

function finalResult(
  state: DeliberationState,
  solution: GraphSolution,
  outcome: Outcome,
  rounds: number,
): DeliberationResult {
  if (state.stop.reason() === 'deadline') state.budget.markHit('deadlineMs');
  const explanation = explain(state.graph, solution, outcome, state.betterDecisionScheme);
  const decision =
    outcome.status === 'decided'
      ? { option: outcome.decision.option!, argument: outcome.decision.id }
      : undefined;
  const result: DeliberationResult = {
    status: outcome.status,
    ...(decision ? { decision } : {}),
    ...(outcome.status === 'undecided' ? { tied: outcome.undecided } : {}),
    ...(outcome.status === 'insufficient-knowledge' || outcome.status === 'incomplete'
      ? { openQuestions: outcome.openQuestions, pending: outcome.pending }
      : {}),
    graph: state.graph.toJSON(),
    ...explanation,
    explanation: '',
    rounds,
    usage: finishUsage(state.budget),
    budgetsHit: [...state.budget.hit],
    failures: [...state.budget.failures],
    calls: [...state.budget.calls],
    candidates: state.candidates,
    ...(state.stop.reason() === 'aborted' ? { aborted: true } : {}),
  };
  const uncited = outcome.status === 'decided' ? uncitedFacts(state.facts, result.graph) : [];
  if (uncited.length > 0) result.uncitedFacts = uncited;
  const assumed = decision ? assumedAbsent(result.graph, decision.argument, result.justification) : [];
  if (assumed.length > 0) result.assumedAbsent = assumed;
  result.explanation = explanationText(result);
  state.emit({ type: 'decided', status: result.status, ...(decision ? { decision } : {}) });
  return result;
}

/** The result of a deliberation that ended before any argument was settled: `failed`, or a refused question. */
function failedResult(
  graph: ArgumentGraph,
  budget: Budget,
  reason: string,
  aborted: boolean,
  emit: (event: DeliberationEvent) => void,
  state?: DeliberationState,
  status: 'failed' | 'unsupported-question' = 'failed',
): DeliberationResult {
  if (state?.stop.reason() === 'deadline') budget.markHit('deadlineMs');
  const result: DeliberationResult = {
    status,
    reason,
    graph: graph.toJSON(),
    justification: [],
    explanationArguments: [],
    rejected: [],
    explanation: '',
    rounds: budget.usage.roundMs.length,
    usage: finishUsage(budget),
    budgetsHit: [...budget.hit],
    failures: [...budget.failures],
    calls: [...budget.calls],
    ...(state ? { candidates: state.candidates } : {}),
    ...(aborted ? { aborted: true } : {}),
  };
  result.explanation = explanationText(result);
  emit({ type: 'decided', status });
  return result;
}

/** What the decision and its defenders were verified assuming absent, each once (`DeliberationResult.assumedAbsent`). */
function assumedAbsent(
  graph: DeliberationGraph,
  decision: string,
  justification: readonly JustificationStep[],
): string[] {
  const standing = new Set([decision, ...justification.map((step) => step.defeater)]);
  const nodes = graph.nodes.filter((node) => standing.has(node.id));
  return [...new Set(nodes.flatMap((node) => node.assumedAbsent ?? []))];
}

/** The case's facts that no argument of the graph cites (see `DeliberationResult.uncitedFacts`). */
function uncitedFacts(facts: readonly NormalisedFact[], graph: DeliberationGraph): Array<{ id: string; text: string }> {
  const cited = new Set(graph.nodes.flatMap((node) => node.facts ?? []));
  return facts
    .filter((fact) => !cited.has(fact.id))
    .map(({ id, text }) => ({ id, text }));
}

function finishUsage(budget: Budget): DeliberationResult['usage'] {
  const usage = budget.usage;
  return {
    ...usage,
    wallMs: budget.elapsed(),
    roundMs: [...usage.roundMs],
    ...(usage.agentCalls ? { agentCalls: { ...usage.agentCalls } } : {}),
  };
}

/** Defaults, then the case's settings, then the caller's budgets. */
export function effectiveBudgets(kase: Case, budgets: Partial<Budgets> = {}): Budgets {
  const settings = kase.settings ?? {};
  const fromCase: Partial<Budgets> = {};
  for (const key of Object.keys(DEFAULT_BUDGETS) as Array<keyof Budgets>) {
    const value = (settings as Partial<Record<keyof Budgets, number>>)[key];
    if (typeof value === 'number') fromCase[key] = value;
  }
  const defined = Object.fromEntries(Object.entries(budgets).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_BUDGETS, ...fromCase, ...defined };
}

let schemesPromise: Promise<SchemeRegistry> | undefined;

/** The schemes of the default folder, loaded once per process. */
function defaultSchemes(): Promise<SchemeRegistry> {
  schemesPromise ??= loadSchemes();
  return schemesPromise;
}
