/**
 * Selective prediction (El-Yaniv & Wiener 2010; Geifman & El-Yaniv 2017): a method may abstain, so its
 * figures are coverage (share of items it answered), accuracy on the answered items, accuracy on all items
 * (an abstention counts as not right, but it is not a wrong answer), wrong answers, and abstentions by type.
 * Wrong answers and abstentions are never merged: a confident wrong answer is the worst outcome of
 * decision support, an abstention says what is missing.
 *
 * Abstention types come from the outcome itself, generically: an argmed item's deliberation status (any
 * status other than `decided`: `undecided`, `no-justified-decision`, `insufficient-knowledge`, ...), a
 * baseline's `unparseable` answer, and `error` for an item whose method threw after every retry (kept apart
 * from a deliberation that ended `failed`).
 *
 * The risk–coverage curve ranks answered items by a confidence and gives, for each confidence cut, the
 * coverage and the risk (wrong / answered) of the items at or above it. Confidence: self-consistency's vote
 * share of its answer; argmed's share of the other candidate options that were refuted (OUT) rather than
 * left open (UNDEC); 1 for a single-answer baseline, whose curve is therefore one point.
 */
import type { ItemResult } from '../types.js';
import { type Share, shareOf } from './share.js';
import { wilsonInterval } from './wilson-interval.js';

export interface RiskCoveragePoint {
  /** Items answered with at least this confidence. */
  confidence: number;
  answered: number;
  coverage: number;
  wrong: number;
  /** Wrong answers / answered items at this cut. */
  risk: number;
  /** 95% Wilson interval of the risk. */
  ci: [number, number];
}

export interface SelectivePrediction {
  items: number;
  answered: number;
  correct: number;
  wrong: number;
  coverage: Share;
  accuracyAnswered: Share;
  accuracyAll: Share;
  /** Wrong answers over all items. */
  wrongAll: Share;
  /** Abstentions by type, each over all items. */
  abstentions: Record<string, Share>;
  riskCoverage: RiskCoveragePoint[];
  /** Area under the risk–coverage curve (step-wise); null with no answer. Lower is better. */
  aurc: number | null;
}

/** Why an item has no answer, or undefined when it has one. */
export function abstentionType(item: ItemResult): string | undefined {
  // `error`, not `failed`: a deliberation can itself end `failed`, a different abstention.
  if (item.status === 'failed') return 'error';
  if (item.predicted !== undefined) return undefined;
  const status = item.outcome?.argmed?.status;
  if (status !== undefined) return status === 'decided' ? 'no-answer' : status;
  return 'unparseable';
}

/** How confident the method was in an answered item, in [0, 1]. */
export function answerConfidence(item: ItemResult): number {
  const votes = item.outcome?.votes;
  if (votes && item.predicted !== undefined) {
    const total = Object.values(votes).reduce((a, b) => a + b, 0);
    return total === 0 ? 0 : (votes[item.predicted] ?? 0) / total;
  }
  const rejected = item.outcome?.argmed?.rejected;
  if (rejected && rejected.length > 0) return rejected.filter((r) => r.label === 'OUT').length / rejected.length;
  return 1;
}

/** The selective-prediction figures of one method's items. O(n log n). */
export function selectivePrediction(items: readonly ItemResult[]): SelectivePrediction {
  const answered = items.filter((i) => abstentionType(i) === undefined);
  const correct = answered.filter((i) => i.correct).length;
  const wrong = answered.length - correct;
  const counts = new Map<string, number>();
  for (const item of items) {
    const type = abstentionType(item);
    if (type !== undefined) counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  const abstentions: Record<string, Share> = {};
  for (const [type, count] of [...counts].sort()) abstentions[type] = shareOf(count, items.length);
  const riskCoverage = curve(answered, items.length);
  return {
    items: items.length,
    answered: answered.length,
    correct,
    wrong,
    coverage: shareOf(answered.length, items.length),
    accuracyAnswered: shareOf(correct, answered.length),
    accuracyAll: shareOf(correct, items.length),
    wrongAll: shareOf(wrong, items.length),
    abstentions,
    riskCoverage,
    aurc: aurcOf(riskCoverage),
  };
}

function curve(answered: readonly ItemResult[], total: number): RiskCoveragePoint[] {
  const ranked = answered.map((i) => ({ c: answerConfidence(i), correct: i.correct })).sort((a, b) => b.c - a.c);
  const points: RiskCoveragePoint[] = [];
  let wrong = 0;
  for (let i = 0; i < ranked.length; i++) {
    if (!ranked[i].correct) wrong++;
    // One point a distinct confidence: items tied on it are taken together.
    if (i + 1 < ranked.length && ranked[i + 1].c === ranked[i].c) continue;
    const answeredNow = i + 1;
    points.push({
      confidence: ranked[i].c,
      answered: answeredNow,
      coverage: total === 0 ? 0 : answeredNow / total,
      wrong,
      risk: wrong / answeredNow,
      ci: wilsonInterval(wrong, answeredNow),
    });
  }
  return points;
}

function aurcOf(points: readonly RiskCoveragePoint[]): number | null {
  if (points.length === 0) return null;
  let area = 0;
  let previous = 0;
  for (const p of points) {
    area += (p.coverage - previous) * p.risk;
    previous = p.coverage;
  }
  return area;
}
