/**
 * Gold-graph agreement of a method's argmed items (align-to-gold.ts): per item, and overall micro-averaged
 * (hits and totals summed over items), overall and split by whether the item's answer was right, so
 * structure can be read next to correctness. Every figure is a share with its n and interval.
 */
import { type Share, shareOf } from '../metrics/share.js';
import type { ItemResult } from '../types.js';
import { type Counts, GOLD_THRESHOLD, type GoldAgreement, goldAgreement } from './align-to-gold.js';

export interface GoldFigures {
  items: number;
  componentPrecision: Share;
  componentRecall: Share;
  relationPrecision: Share;
  relationRecall: Share;
  supportPrecision: Share;
  supportRecall: Share;
  attackPrecision: Share;
  attackRecall: Share;
}

export interface GoldItem {
  itemKey: string;
  correct: boolean;
  answered: boolean;
  agreement: Omit<GoldAgreement, 'alignment'>;
}

export interface GoldSummary {
  threshold: number;
  overall: GoldFigures;
  rightAnswers: GoldFigures;
  otherItems: GoldFigures;
  perItem: GoldItem[];
}

function figures(items: readonly GoldItem[]): GoldFigures {
  const sum = (pick: (a: GoldItem['agreement']) => Counts) =>
    items.reduce((acc, i) => ({ hits: acc.hits + pick(i.agreement).hits, total: acc.total + pick(i.agreement).total }), { hits: 0, total: 0 });
  const share = (c: Counts) => shareOf(c.hits, c.total);
  return {
    items: items.length,
    componentPrecision: share(sum((a) => a.componentPrecision)),
    componentRecall: share(sum((a) => a.componentRecall)),
    relationPrecision: share(sum((a) => a.relationPrecision)),
    relationRecall: share(sum((a) => a.relationRecall)),
    supportPrecision: share(sum((a) => a.byType.support.precision)),
    supportRecall: share(sum((a) => a.byType.support.recall)),
    attackPrecision: share(sum((a) => a.byType.attack.precision)),
    attackRecall: share(sum((a) => a.byType.attack.recall)),
  };
}

/** undefined when no item has a gold graph. O(items · alignment). */
export function summariseGold(items: readonly ItemResult[], threshold = GOLD_THRESHOLD): GoldSummary | undefined {
  const perItem: GoldItem[] = items
    .filter((i) => i.status === 'done' && i.outcome?.argmed && i.outcome.referenceGraph && i.outcome.referenceGraph.components.length > 0)
    .map((i) => {
      const { alignment: _alignment, ...agreement } = goldAgreement(i.outcome!.argmed!.graph, i.outcome!.referenceGraph!, i.outcome!.options ?? [], threshold);
      return { itemKey: i.itemKey, correct: i.correct, answered: i.predicted !== undefined, agreement };
    });
  if (perItem.length === 0) return undefined;
  return {
    threshold,
    overall: figures(perItem),
    rightAnswers: figures(perItem.filter((i) => i.correct)),
    otherItems: figures(perItem.filter((i) => !i.correct)),
    perItem,
  };
}
