/**
 * The `argmed` method: the engine's deliberation over the item's case. The decision is the answer; the
 * explanation is the engine's own text (no extra model call); the argument graph, labels and justification
 * are kept for the explanation metrics. A deliberation without a decision gives no answer (an abstention).
 * When the run asks for faithfulness probes, the case is deliberated again, changed in fixed ways.
 */
import type { Backend, CallCache } from '../../../agents/types.js';
import { deliberate } from '../../engine/deliberate.js';
import type { SchemeRegistry } from '../../../schemes/load.js';
import type { Budgets } from '../../engine/types.js';
import { type ProbeSettings, probeDeliberation } from '../faithfulness/probe-deliberation.js';
import type { EvalItem, MethodOutcome } from '../types.js';
import { stripAnswer } from './parse-answer.js';

export interface ArgmedOptions {
  backend: Backend;
  budgets?: Partial<Budgets>;
  cache?: CallCache;
  schemes?: SchemeRegistry;
  signal?: AbortSignal;
  /** Faithfulness probes to run after the deliberation (probe-deliberation.ts). */
  probes?: ProbeSettings;
}

/**
 * Deliberates over one item. Never throws for agent failures (the engine records them), except rate
 * limits: a deliberation in which any model call stayed rate limited reasoned on a partial dialogue (the
 * agent dropped that call), so it is thrown away and the runner slows down and runs the item again; the
 * calls that did succeed are served from the call cache then.
 */
export async function runArgmed(item: EvalItem, o: ArgmedOptions): Promise<MethodOutcome> {
  const options = { backend: o.backend, budgets: o.budgets, cache: o.cache, schemes: o.schemes, signal: o.signal };
  const result = await deliberate(item.case, options);
  const probed = o.probes ? await probeDeliberation(item.case, result, options, o.probes, deliberate) : undefined;
  const calls = [...result.calls, ...(probed?.calls ?? [])];
  if (calls.some((c) => c.error === 'ARGMED_LLM_RATE_LIMITED')) {
    const error = new Error('argmed deliberation was rate limited') as Error & { code: string };
    error.code = 'ARGMED_LLM_RATE_LIMITED';
    throw error;
  }
  return {
    predicted: result.status === 'decided' ? result.decision?.option : undefined,
    parsedBy: result.status === 'decided' ? 'decision' : 'none',
    explanation: stripAnswer(result.explanation),
    calls,
    argmed: {
      status: result.status,
      graph: result.graph,
      justification: result.justification,
      explanationArguments: result.explanationArguments,
      rejected: result.rejected,
      rounds: result.rounds,
      budgetsHit: result.budgetsHit,
      verifyFailures: result.failures.filter((f) => f.stage === 'verify' && f.argument).map((f) => f.argument!),
      probes: probed?.probes,
    },
  };
}
