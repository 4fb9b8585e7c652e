/**
 * Builds what the methods of a run need from the configuration: one LLM client for the baselines and the
 * evaluator (the run's model, a persistent call cache over the store's `llm_calls`, grouped, so an answer is never
 * paid twice, at least `concurrency` requests in flight) and, for `argmed`, the configured back-end sharing
 * that cache.
 */
import { createBackend } from '../../backends.js';
import { type Config, llmConfigProblem } from '../../config.js';
import type { Budgets } from '../../engine/types.js';
import type { Db } from '../../store/database.js';
import { EvaluationError } from '../errors.js';
import type { MethodContext } from '../methods/run-method.js';
import type { RunSpec } from '../types.js';
import { createBatchedCallCache } from './batched-call-cache.js';

/** Whether the run needs a model endpoint (baselines, predictability, or argmed on the openai back-end). */
export function needsModel(spec: RunSpec): boolean {
  return (
    spec.methods.some((m) => m !== 'argmed') ||
    spec.predictability ||
    (spec.methods.includes('argmed') && spec.backend === 'openai')
  );
}

/**
 * @param concurrency items in flight; the client allows at least that many requests at once (times k
 *   for self-consistency), whatever ARGMED_LLM_CONCURRENCY says, because the run's flag is the user's intent.
 * @throws EvaluationError ARGMED_EVAL_NO_MODEL when a model is needed and no endpoint or key is configured;
 *   the back-end's own errors (BackendError naming the setting).
 */
export async function createMethodContext(config: Config, spec: RunSpec, db: Db, concurrency: number): Promise<MethodContext> {
  // Lookups and writes of the items in flight are grouped into one statement each (batched-call-cache.ts).
  const cache = createBatchedCallCache(db);
  const ctx: MethodContext = { spec, cache, prefetch: cache.prefetch, budgets: spec.budgets as Partial<Budgets> | undefined };
  if (needsModel(spec)) {
    const problem = llmConfigProblem(config.llm);
    if (problem) throw new EvaluationError('ARGMED_EVAL_NO_MODEL', problem.message);
    const fanOut = spec.methods.includes('self-consistency') ? spec.selfConsistency.k : 1;
    // Imported here: the service imports this module for its evaluation routes, and the LLM client
    // (LangChain, the OpenAI SDK) would otherwise be loaded at every start (`npm run bench:startup`).
    const { createLlmClient } = await import('../../../agents/llm/client.js');
    ctx.model = createLlmClient({
      ...config.llm,
      // Local servers ignore the key, but the client library insists on one.
      apiKey: config.llm.apiKey ?? 'not-needed',
      concurrency: Math.max(config.llm.concurrency, concurrency * fanOut),
      cache,
    });
  }
  if (spec.methods.includes('argmed')) {
    const llmConfig = { ...config, llm: { ...config.llm, apiKey: config.llm.apiKey ?? 'not-needed', concurrency: Math.max(config.llm.concurrency, concurrency) } };
    const built = await createBackend(llmConfig, { backend: spec.backend, cache });
    ctx.backend = built.backend;
    ctx.schemes = built.schemes;
  }
  return ctx;
}
