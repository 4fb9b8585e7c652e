/**
 * The figures of a run, per method, from its stored item results: selective prediction (coverage, accuracy
 * on answered and on all items, wrong answers and abstentions by type, the risk–coverage curve),
 * predictability beside its null evaluator, argmed's argumentation statistics and faithfulness, agreement with reference
 * explanations over positive claims, and cost (calls, tokens, latency p50/p95).
 *
 * Every share carries its n and Wilson interval (share.ts) and is null (N/A) over zero items.
 */
import { type FaithfulnessSummary, summariseFaithfulness } from '../faithfulness/summarise-faithfulness.js';
import { type GoldSummary, summariseGold } from '../gold/summarise-gold.js';
import type { ItemResult, MethodName } from '../types.js';
import { argumentStatistics } from './argument-statistics.js';
import { percentile } from './percentile.js';
import { isPositiveArgument } from './positive-claims.js';
import { type Predictability, predictabilityOf } from './predictability.js';
import { CLAIM_THRESHOLD, CLAIM_THRESHOLDS, referenceClaimShare } from './reference-claims.js';
import { type SelectivePrediction, abstentionType, selectivePrediction } from './selective-prediction.js';
import { type Share, shareOf } from './share.js';
import { rougeL, tokenF1 } from './text-overlap.js';

export interface ArgmedSummary {
  /** Deliberation status counts (every status as it is stored). */
  statuses: Record<string, number>;
  /** Items whose deliberation gave no decision, for any reason. */
  flagged: number;
  /** Flagged items whose gold option's decision argument was refuted (OUT) while some other option was not:
   * a reasoning error that singled out the right answer. N/A when no flagged item left any option open. */
  flaggedGoldRejected: Share;
  /** For each other method: share of argmed-flagged items that method got wrong (or abstained on) too. */
  flaggedWrongElsewhere: Record<string, Share>;
  meanArguments: number | null;
  meanAttacks: number | null;
  meanRounds: number | null;
  shareIn: Share;
  shareOut: Share;
  shareUndec: Share;
  meanJustificationSize: number | null;
  cqCoverage: number | null;
  conflictFree: Share;
  defends: Share;
}

export interface ReferenceAgreement {
  /** Items with a reference explanation. */
  n: number;
  /** Of them, items whose explanation states at least one positive claim (the rest score 0). */
  withPositiveClaims: number;
  rougeL: number | null;
  tokenF1: number | null;
}

export interface ClaimAgreement {
  /** Items with reference claims. */
  n: number;
  threshold: number;
  matched: number;
  claims: number;
  share: Share;
  /** The same figure at other thresholds. */
  sensitivity: Array<{ threshold: number; matched: number; claims: number; share: Share }>;
}

export interface MethodSummary {
  method: MethodName;
  items: number;
  done: number;
  failed: number;
  selective: SelectivePrediction;
  predictability: Predictability;
  argmed?: ArgmedSummary;
  /** Faithfulness of argmed's explanations on their graphs, and the probes when run. */
  faithfulness?: FaithfulnessSummary;
  /** CasiMedicos-Arg: agreement of argmed's graphs with the doctors' argument graphs. */
  gold?: GoldSummary;
  /** Mean agreement with the reference explanation over items that have one (positive claims only for argmed). */
  reference?: ReferenceAgreement;
  /** CasiMedicos-Arg: reference claims matched by accepted positive arguments (micro-averaged). */
  referenceClaims?: ClaimAgreement;
  cost: {
    calls: number;
    cachedCalls: number;
    tokensIn: number;
    tokensOut: number;
    latencyP50: number;
    latencyP95: number;
    callsPerItem: number | null;
  };
}

const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

/** Summaries of every method present in `items`, in the order given by `methods`. O(items · graph size). */
export function summariseRun(items: readonly ItemResult[], methods: readonly MethodName[]): MethodSummary[] {
  const byMethod = new Map<string, ItemResult[]>();
  for (const item of items) byMethod.set(item.method, [...(byMethod.get(item.method) ?? []), item]);
  const correctBy = new Map<string, Map<string, boolean>>();
  for (const [method, list] of byMethod) correctBy.set(method, new Map(list.map((i) => [i.itemKey, i.correct])));
  return methods.map((method) => summariseMethod(method, byMethod.get(method) ?? [], correctBy));
}

/** The text reference agreement is measured on: argmed's positive accepted arguments, a baseline's reasoning. */
export function agreementText(item: ItemResult): string {
  const argmed = item.outcome?.argmed;
  if (!argmed) return item.outcome?.explanation ?? '';
  return argmed.graph.nodes
    .filter((n) => n.label === 'IN' && isPositiveArgument(n))
    .map((n) => n.text)
    .join('\n');
}

function summariseMethod(
  method: MethodName,
  items: ItemResult[],
  correctBy: Map<string, Map<string, boolean>>,
): MethodSummary {
  const done = items.filter((i) => i.status === 'done');
  const calls = items.flatMap((i) => i.outcome?.calls ?? []);
  const paidCalls = items.reduce((n, i) => n + i.calls, 0);
  const latencies = items.map((i) => i.latencyMs);
  const summary: MethodSummary = {
    method,
    items: items.length,
    done: done.length,
    failed: items.length - done.length,
    selective: selectivePrediction(items),
    predictability: predictabilityOf(items),
    cost: {
      calls: paidCalls,
      cachedCalls: calls.filter((c) => c.cached).length,
      tokensIn: items.reduce((n, i) => n + i.tokensIn, 0),
      tokensOut: items.reduce((n, i) => n + i.tokensOut, 0),
      latencyP50: percentile(latencies, 50),
      latencyP95: percentile(latencies, 95),
      callsPerItem: items.length === 0 ? null : paidCalls / items.length,
    },
  };
  const withReference = done.filter((i) => i.outcome?.reference);
  if (withReference.length > 0) {
    const texts = withReference.map((i) => ({ text: agreementText(i), reference: i.outcome!.reference! }));
    summary.reference = {
      n: withReference.length,
      withPositiveClaims: texts.filter((t) => t.text.trim() !== '').length,
      rougeL: mean(texts.map((t) => rougeL(t.text, t.reference))),
      tokenF1: mean(texts.map((t) => tokenF1(t.text, t.reference))),
    };
  }
  const argmedItems = done.filter((i) => i.outcome?.argmed);
  if (argmedItems.length > 0) {
    summary.argmed = summariseArgmed(method, items.filter((i) => i.outcome?.argmed || i.status === 'failed'), correctBy);
    summary.referenceClaims = claimAgreement(argmedItems);
    summary.faithfulness = summariseFaithfulness(argmedItems);
    summary.gold = summariseGold(argmedItems);
  }
  return summary;
}

function claimAgreement(items: ItemResult[]): ClaimAgreement | undefined {
  const at = (threshold: number) => {
    const shares = items
      .map((i) => (i.outcome!.referenceGraph ? referenceClaimShare(i.outcome!.referenceGraph, i.outcome!.argmed!.graph, threshold) : undefined))
      .filter((s) => s !== undefined);
    const matched = shares.reduce((n, s) => n + s.matched, 0);
    const claims = shares.reduce((n, s) => n + s.claims, 0);
    return { n: shares.length, threshold, matched, claims, share: shareOf(matched, claims) };
  };
  const main = at(CLAIM_THRESHOLD);
  if (main.n === 0) return undefined;
  return { ...main, sensitivity: CLAIM_THRESHOLDS.map((t) => at(t)).map(({ n: _n, ...rest }) => rest) };
}

function summariseArgmed(
  method: string,
  items: ItemResult[],
  correctBy: Map<string, Map<string, boolean>>,
): ArgmedSummary {
  const deliberated = items.filter((i) => i.outcome?.argmed);
  const statuses: Record<string, number> = {};
  for (const i of deliberated) statuses[i.outcome!.argmed!.status] = (statuses[i.outcome!.argmed!.status] ?? 0) + 1;
  const stats = deliberated.map((i) => {
    const d = i.outcome!.argmed!;
    const decisionArgument = d.status === 'decided' ? d.explanationArguments[0] : undefined;
    return argumentStatistics(d, decisionArgument);
  });
  const flagged = deliberated.filter((i) => abstentionType(i) !== undefined);
  // Only a flagged item with some option left open can single out the gold one by refuting it: when every
  // option is OUT, the gold one is OUT too and says nothing.
  const discriminating = flagged.filter((i) => i.outcome!.argmed!.rejected.some((r) => r.label !== 'OUT'));
  const goldRejected = discriminating.filter((i) =>
    i.outcome!.argmed!.rejected.some((r) => r.option === i.gold && r.label === 'OUT'),
  ).length;
  const flaggedWrongElsewhere: Record<string, Share> = {};
  for (const [other, correct] of correctBy) {
    if (other === method) continue;
    const compared = flagged.filter((i) => correct.has(i.itemKey));
    flaggedWrongElsewhere[other] = shareOf(compared.filter((i) => !correct.get(i.itemKey)).length, compared.length);
  }
  const nodes = stats.reduce((n, s) => n + s.arguments, 0);
  const checked = stats.filter((s) => s.conflictFree !== undefined);
  return {
    statuses,
    flagged: flagged.length,
    flaggedGoldRejected: shareOf(goldRejected, discriminating.length),
    flaggedWrongElsewhere,
    meanArguments: mean(stats.map((s) => s.arguments)),
    meanAttacks: mean(stats.map((s) => s.attacks)),
    meanRounds: mean(stats.map((s) => s.rounds)),
    shareIn: shareOf(stats.reduce((n, s) => n + s.in, 0), nodes),
    shareOut: shareOf(stats.reduce((n, s) => n + s.out, 0), nodes),
    shareUndec: shareOf(stats.reduce((n, s) => n + s.undec, 0), nodes),
    meanJustificationSize: mean(stats.map((s) => s.justificationSize)),
    cqCoverage: mean(stats.map((s) => s.cqCoverage)),
    conflictFree: shareOf(checked.filter((s) => s.conflictFree).length, checked.length),
    defends: shareOf(checked.filter((s) => s.defends).length, checked.length),
  };
}
