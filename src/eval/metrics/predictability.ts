/**
 * Predictability (ArgMed-Agents, arXiv 2403.06294): can a reader tell the decision from the explanation
 * alone? Measured on every item, decided or not (an item that decided nothing is predicted right when the
 * reader answers `none`), on the record with every trace of the decision removed (evaluator-record.ts), by
 * two readers:
 * - the evaluator model (when the run asked for it: one call an item);
 * - the null evaluator (null-evaluator.ts, no model), always, in the same run: the score a surface guess
 *   gets. A model score is only as informative as its distance above the null.
 * `nullUnredacted` is the null evaluator on the explanation as stored, before redaction: how much the
 * redaction removes (a leak closed shows as a high unredacted and a low redacted null).
 */
import type { ItemResult } from '../types.js';
import { NO_DECISION, nullEvaluatorGuess } from './null-evaluator.js';
import { evaluatorRecord } from './evaluator-record.js';
import { type Share, shareOf } from './share.js';

export interface Predictability {
  /** The evaluator model; absent when the run did not ask for it. */
  model?: Share;
  null: Share;
  nullUnredacted: Share;
}

const decisionOf = (item: ItemResult) => item.predicted ?? NO_DECISION;

/** Predictability figures of one method's done items. O(items · explanation length · options). */
export function predictabilityOf(items: readonly ItemResult[]): Predictability {
  const withOptions = items.filter((i) => i.status === 'done' && i.outcome?.options && i.outcome.options.length > 0);
  let hits = 0;
  let hitsUnredacted = 0;
  for (const item of withOptions) {
    const { explanation, options } = item.outcome!;
    if (nullEvaluatorGuess(evaluatorRecord(item.outcome!, options!), options!) === decisionOf(item)) hits++;
    if (nullEvaluatorGuess(explanation, options!) === decisionOf(item)) hitsUnredacted++;
  }
  const evaluated = items.filter((i) => i.status === 'done' && i.outcome && 'evaluatorPrediction' in i.outcome);
  const modelHits = evaluated.filter((i) => (i.outcome!.evaluatorPrediction ?? NO_DECISION) === decisionOf(i)).length;
  return {
    model: evaluated.length > 0 ? shareOf(modelHits, evaluated.length) : undefined,
    null: shareOf(hits, withOptions.length),
    nullUnredacted: shareOf(hitsUnredacted, withOptions.length),
  };
}
