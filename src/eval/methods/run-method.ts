/**
 * Runs one method on one item, then (when the run asks for it) the predictability check: the evaluator
 * model reads only the explanation with every trace of the decision removed (evaluator-record.ts) and
 * predicts the decision, or `none`; on every item, decided or not.
 */
import type { Backend, CallCache } from '../../../agents/types.js';
import type { SchemeRegistry } from '../../../schemes/load.js';
import type { Budgets } from '../../engine/types.js';
import { EvaluationError } from '../errors.js';
import type { ChatModel, EvalItem, MethodName, MethodOutcome, RunSpec } from '../types.js';
import { evaluatorMessages, gradedOptions } from './baseline-prompts.js';
import { NO_DECISION } from '../metrics/null-evaluator.js';
import { evaluatorRecord } from '../metrics/evaluator-record.js';
import { parseAnswer } from './parse-answer.js';
import { runArgmed } from './run-argmed.js';
import { baselineCallKeys, runSelfConsistency, runSingle } from './run-baseline.js';

/** What methods run with: the run's settings, the model for baselines/evaluator, the back-end for argmed. */
export interface MethodContext {
  spec: RunSpec;
  model?: ChatModel;
  backend?: Backend;
  budgets?: Partial<Budgets>;
  cache?: CallCache;
  schemes?: SchemeRegistry;
  signal?: AbortSignal;
  /**
   * Looks up, in one query, the cached answers of calls about to be made (their keys), so that each call
   * then finds its answer in memory instead of waiting for its own lookup (batched-call-cache.ts).
   */
  prefetch?: (keys: string[]) => void;
}

/**
 * The cache keys of the calls `method` will make on `item` that can be known before it runs: a baseline's
 * calls (its prompt is fixed); none for argmed (each call depends on the previous answers) nor for the
 * predictability check (it reads the method's explanation).
 */
export function plannedCallKeys(method: MethodName, item: EvalItem, ctx: MethodContext): string[] {
  if (!ctx.model) return [];
  if (method !== 'direct' && method !== 'cot' && method !== 'self-consistency') return [];
  return baselineCallKeys(item, method, ctx.model, ctx.spec.selfConsistency);
}

function needModel(ctx: MethodContext, why: string): ChatModel {
  if (!ctx.model) {
    throw new EvaluationError(
      'ARGMED_EVAL_NO_MODEL',
      `${why} needs a model, and none is configured (see docs/models.md)`,
    );
  }
  return ctx.model;
}

/**
 * The outcome of `method` on `item`.
 * @throws EvaluationError ARGMED_EVAL_NO_MODEL when a baseline has no model; the client's errors otherwise.
 */
export async function runMethod(method: MethodName, item: EvalItem, ctx: MethodContext): Promise<MethodOutcome> {
  const outcome = await outcomeOf(method, item, ctx);
  if (!ctx.spec.predictability) return outcome;
  const evaluator = needModel(ctx, 'the predictability check');
  const options = gradedOptions(item.case);
  const record = evaluatorRecord(outcome, options);
  const { text, calls } = await evaluator.complete(evaluatorMessages(item.case, record), {
    role: 'evaluator',
    temperature: 0,
    signal: ctx.signal,
  });
  const guess = parseAnswer(text, [...options, { id: NO_DECISION, text: NO_DECISION }]);
  return { ...outcome, evaluatorPrediction: guess.answer ?? 'unparsed', calls: [...outcome.calls, ...calls] };
}

function outcomeOf(method: MethodName, item: EvalItem, ctx: MethodContext): Promise<MethodOutcome> {
  switch (method) {
    case 'direct':
    case 'cot':
      return runSingle(item, method, { model: needModel(ctx, `method ${method}`), signal: ctx.signal });
    case 'self-consistency':
      return runSelfConsistency(item, {
        model: needModel(ctx, 'method self-consistency'),
        signal: ctx.signal,
        k: ctx.spec.selfConsistency.k,
        temperature: ctx.spec.selfConsistency.temperature,
      });
    case 'argmed': {
      if (!ctx.backend) throw new EvaluationError('ARGMED_EVAL_NO_MODEL', 'method argmed needs a reasoning back-end');
      return runArgmed(item, {
        backend: ctx.backend,
        budgets: ctx.budgets,
        cache: ctx.cache,
        schemes: ctx.schemes,
        signal: ctx.signal,
        probes: ctx.spec.faithfulness,
      });
    }
    default:
      throw new EvaluationError('ARGMED_EVAL_UNKNOWN_METHOD', `unknown method "${String(method)}"`);
  }
}
