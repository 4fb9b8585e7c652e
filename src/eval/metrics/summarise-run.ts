/**
 * The figures of a run, per method, from its stored item results: accuracy with its Wilson interval,
 * unparseable answers, argmed's undecided / no-justified-decision rates and how often a flagged case was a
 * reasoning error, explanation quality (graph statistics, critical-question coverage, structural checks,
 * predictability, agreement with reference explanations) and cost (calls, tokens, latency p50/p95).
 *
 * Accuracy counts every item of the method: failed items (errors after all retries) and unparseable
 * answers count as wrong and are reported separately.
 */
import { ABSTENTION_STATUSES, type AbstentionStatus } from '../../engine/types.js';
import type { ItemResult, MethodName } from '../types.js';
import { argumentStatistics } from './argument-statistics.js';
import { percentile } from './percentile.js';
import { referenceClaimShare } from './reference-claims.js';
import { rougeL, tokenF1 } from './text-overlap.js';
import { wilsonInterval } from './wilson-interval.js';

export interface ArgmedSummary {
  decided: number;
  /** Decided items whose decision is not the gold answer: the wrong answers, apart from abstentions. */
  decidedWrong: number;
  /** Items that abstained, by status (each abstention says why; none is a wrong answer). */
  abstentions: Record<AbstentionStatus, number>;
  undecidedRate: number;
  noJustifiedRate: number;
  /** Items flagged `no-justified-decision` or `undecided`. */
  flagged: number;
  /** Share of flagged items whose gold option was rejected (labelled OUT): a reasoning error. */
  flaggedGoldRejected: number;
  /** For each other method: share of argmed-flagged items that method got wrong too. */
  flaggedWrongElsewhere: Record<string, number>;
  meanArguments: number;
  meanAttacks: number;
  meanRounds: number;
  shareIn: number;
  shareOut: number;
  shareUndec: number;
  meanJustificationSize: number;
  cqCoverage: number;
  conflictFreeRate: number;
  defendsRate: number;
}

export interface MethodSummary {
  method: MethodName;
  items: number;
  done: number;
  failed: number;
  correct: number;
  accuracy: number;
  ci95: [number, number];
  unparseable: number;
  argmed?: ArgmedSummary;
  /** Share of decisions the evaluator predicted from the explanation alone (items with a prediction). */
  predictability?: { n: number; score: number };
  /** Mean agreement with the reference explanation over items that have one. */
  reference?: { n: number; rougeL: number; tokenF1: number };
  /** CasiMedicos-Arg: reference claims matched by accepted arguments (micro-averaged). */
  referenceClaims?: { n: number; matched: number; claims: number; share: number };
  cost: {
    calls: number;
    cachedCalls: number;
    tokensIn: number;
    tokensOut: number;
    latencyP50: number;
    latencyP95: number;
    callsPerItem: number;
  };
}

const mean = (values: number[]) =>
  values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** Summaries of every method present in `items`, in the order given by `methods`. O(items · graph size). */
export function summariseRun(items: readonly ItemResult[], methods: readonly MethodName[]): MethodSummary[] {
  const byMethod = new Map<string, ItemResult[]>();
  for (const item of items) byMethod.set(item.method, [...(byMethod.get(item.method) ?? []), item]);
  const correctBy = new Map<string, Map<string, boolean>>();
  for (const [method, list] of byMethod)
    correctBy.set(method, new Map(list.map((i) => [i.itemKey, i.correct])));
  return methods.map((method) => summariseMethod(method, byMethod.get(method) ?? [], correctBy));
}

function summariseMethod(
  method: MethodName,
  items: ItemResult[],
  correctBy: Map<string, Map<string, boolean>>,
): MethodSummary {
  const done = items.filter((i) => i.status === 'done');
  const correct = items.filter((i) => i.correct).length;
  const calls = items.flatMap((i) => i.outcome?.calls ?? []);
  const summary: MethodSummary = {
    method,
    items: items.length,
    done: done.length,
    failed: items.length - done.length,
    correct,
    accuracy: share(correct, items.length),
    ci95: wilsonInterval(correct, items.length),
    unparseable: done.filter((i) => i.predicted === undefined && i.outcome?.argmed === undefined).length,
    cost: {
      calls: items.reduce((n, i) => n + i.calls, 0),
      cachedCalls: calls.filter((c) => c.cached).length,
      tokensIn: items.reduce((n, i) => n + i.tokensIn, 0),
      tokensOut: items.reduce((n, i) => n + i.tokensOut, 0),
      latencyP50: percentile(
        items.map((i) => i.latencyMs),
        50,
      ),
      latencyP95: percentile(
        items.map((i) => i.latencyMs),
        95,
      ),
      callsPerItem: share(
        items.reduce((n, i) => n + i.calls, 0),
        items.length,
      ),
    },
  };
  const predicted = done.filter(
    (i) => i.predicted !== undefined && i.outcome?.evaluatorPrediction !== undefined,
  );
  const evaluated = done.filter(
    (i) => i.predicted !== undefined && i.outcome && 'evaluatorPrediction' in i.outcome,
  );
  if (evaluated.length > 0) {
    const hits = predicted.filter((i) => i.outcome!.evaluatorPrediction === i.predicted).length;
    summary.predictability = { n: evaluated.length, score: share(hits, evaluated.length) };
  }
  const withReference = done.filter((i) => i.outcome?.reference);
  if (withReference.length > 0) {
    summary.reference = {
      n: withReference.length,
      rougeL: mean(withReference.map((i) => rougeL(i.outcome!.explanation, i.outcome!.reference!))),
      tokenF1: mean(withReference.map((i) => tokenF1(i.outcome!.explanation, i.outcome!.reference!))),
    };
  }
  const argmedItems = done.filter((i) => i.outcome?.argmed);
  if (argmedItems.length > 0) {
    summary.argmed = summariseArgmed(method, argmedItems, correctBy);
    const claimShares = argmedItems
      .map((i) =>
        i.outcome!.referenceGraph
          ? referenceClaimShare(i.outcome!.referenceGraph, i.outcome!.argmed!.graph)
          : undefined,
      )
      .filter((s) => s !== undefined);
    if (claimShares.length > 0) {
      const matched = claimShares.reduce((n, s) => n + s.matched, 0);
      const claims = claimShares.reduce((n, s) => n + s.claims, 0);
      summary.referenceClaims = { n: claimShares.length, matched, claims, share: share(matched, claims) };
    }
  }
  return summary;
}

function summariseArgmed(
  method: string,
  items: ItemResult[],
  correctBy: Map<string, Map<string, boolean>>,
): ArgmedSummary {
  const details = items.map((i) => i.outcome!.argmed!);
  const stats = items.map((i) => {
    const d = i.outcome!.argmed!;
    const decisionArgument = d.status === 'decided' ? d.explanationArguments[0] : undefined;
    return argumentStatistics(d, decisionArgument);
  });
  const flagged = items.filter((i) =>
    ['undecided', 'no-justified-decision'].includes(i.outcome!.argmed!.status),
  );
  const goldRejected = flagged.filter((i) =>
    i.outcome!.argmed!.rejected.some((r) => r.option === i.gold && r.label === 'OUT'),
  ).length;
  const flaggedWrongElsewhere: Record<string, number> = {};
  for (const [other, correct] of correctBy) {
    if (other === method) continue;
    const compared = flagged.filter((i) => correct.has(i.itemKey));
    if (compared.length > 0)
      flaggedWrongElsewhere[other] = share(
        compared.filter((i) => !correct.get(i.itemKey)).length,
        compared.length,
      );
  }
  const nodes = stats.reduce((n, s) => n + s.arguments, 0);
  const checked = stats.filter((s) => s.conflictFree !== undefined);
  const abstentions = Object.fromEntries(
    ABSTENTION_STATUSES.map((status) => [status, details.filter((d) => d.status === status).length]),
  ) as Record<AbstentionStatus, number>;
  const correct = correctBy.get(method);
  return {
    decided: details.filter((d) => d.status === 'decided').length,
    decidedWrong: items.filter(
      (i) => i.outcome!.argmed!.status === 'decided' && correct?.get(i.itemKey) === false,
    ).length,
    abstentions,
    undecidedRate: share(details.filter((d) => d.status === 'undecided').length, items.length),
    noJustifiedRate: share(details.filter((d) => d.status === 'no-justified-decision').length, items.length),
    flagged: flagged.length,
    flaggedGoldRejected: share(goldRejected, flagged.length),
    flaggedWrongElsewhere,
    meanArguments: mean(stats.map((s) => s.arguments)),
    meanAttacks: mean(stats.map((s) => s.attacks)),
    meanRounds: mean(stats.map((s) => s.rounds)),
    shareIn: share(
      stats.reduce((n, s) => n + s.in, 0),
      nodes,
    ),
    shareOut: share(
      stats.reduce((n, s) => n + s.out, 0),
      nodes,
    ),
    shareUndec: share(
      stats.reduce((n, s) => n + s.undec, 0),
      nodes,
    ),
    meanJustificationSize: mean(stats.map((s) => s.justificationSize)),
    cqCoverage: mean(stats.map((s) => s.cqCoverage)),
    conflictFreeRate: share(checked.filter((s) => s.conflictFree).length, checked.length),
    defendsRate: share(checked.filter((s) => s.defends).length, checked.length),
  };
}
