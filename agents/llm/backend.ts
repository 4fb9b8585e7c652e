/**
 * The `openai` reasoning back-end (DESIGN.md "Reasoning back-ends"): generator and verifier as model calls
 * on any OpenAI-compatible endpoint, through the LLM client (retries, timeout, concurrency, cache, call
 * records). Every answer is validated against a schema derived from the scheme; an answer still invalid
 * after the repair retry, or a call that fails for good, is dropped and reported through `recordFailure`:
 * the agent then returns nothing (no draft, no verdict) rather than a guess; a counter-argument's failure is
 * thrown instead, so the engine can tell it from "nothing to build it from". Cancellation is rethrown.
 */
import { candidateOptions } from '../case.js';
import type {
  AgentContext,
  AgentFailure,
  ArgumentDraft,
  Backend,
  CallCache,
  CompareRequest,
  CounterRequest,
  ProposeRequest,
  QuestionVerdict,
  UnknownComparison,
  VerifyRequest,
} from '../types.js';
import type { Scheme } from '../../schemes/types.js';
import { createLlmClient, type LlmClient } from './client.js';
import { isLlmError } from './errors.js';
import { compareSchema, counterSchema, proposeSchema, verifySchema } from './output-schemas.js';
import { comparerPrompt } from './prompts/comparer.js';
import { generatorCounterPrompt } from './prompts/generator-counter.js';
import { generatorProposePrompt } from './prompts/generator-propose.js';
import { verifierPrompt } from './prompts/verifier.js';
import type { SchemeRegistry } from '../../schemes/load.js';
import type { LlmClientOptions } from './types.js';

export interface OpenAIBackendOptions {
  /** Endpoint, model and call settings (`Config['llm']` fits), plus optional retry policy and streaming. */
  llm: Omit<LlmClientOptions, 'cache'>;
  /** The scheme registry (to describe a challenged argument's scheme in counter prompts). */
  schemes: SchemeRegistry;
  cache?: CallCache;
  /** A client to share (e.g. with the evaluation); built from `llm` and `cache` when absent. */
  client?: LlmClient;
}

interface Drafted {
  variables: Record<string, string>;
  premises: Record<string, string>;
  conclusion: string;
  text: string;
  facts: string[];
}

/** A validated answer turned into the engine's draft, premises in the scheme's order. */
function toDraft(scheme: Scheme, answer: Drafted, source: string, option?: string): ArgumentDraft {
  return {
    scheme: scheme.id,
    kind: scheme.yields,
    ...(option === undefined ? {} : { option }),
    variables: answer.variables,
    premises: scheme.premises.map((premise) => answer.premises[premise.id]),
    conclusion: answer.conclusion,
    text: answer.text,
    facts: answer.facts,
    source,
  };
}

function failureMessage(error: unknown): string {
  if (isLlmError(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}

/**
 * Creates the back-end.
 * @example
 *   const backend = createOpenAIBackend({ llm: config.llm, schemes: loadSchemes(), cache });
 *   const result = await deliberate(kase, { backend });
 */
export function createOpenAIBackend(options: OpenAIBackendOptions): Backend {
  const client = options.client ?? createLlmClient({ ...options.llm, cache: options.cache });
  const source = `openai:${client.model}`;

  /** Runs one agent step; a final failure is recorded and turned into `empty`, cancellation rethrown. */
  async function guarded<T>(
    context: AgentContext,
    failure: Omit<AgentFailure, 'error'>,
    empty: T,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isLlmError(error) && error.code === 'ARGMED_LLM_ABORTED') throw error;
      context.recordFailure?.({ ...failure, error: failureMessage(error) });
      return empty;
    }
  }

  /**
   * Runs one agent step whose empty answer means "nothing to build" (a counter, a comparison): a failed call
   * is thrown with a readable message instead, so the engine records it and leaves the step incomplete rather
   * than read the failure as a knowledge gap or a genuine tie. Cancellation is rethrown as it is.
   */
  async function surfaced<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isLlmError(error) && error.code === 'ARGMED_LLM_ABORTED') throw error;
      throw new Error(failureMessage(error));
    }
  }

  function callOptions(context: AgentContext, role: 'generator' | 'verifier' | 'comparer', name: string) {
    return { role, name, signal: context.signal, recordCall: context.recordCall };
  }

  const factIds = (context: AgentContext) => context.facts.map((fact) => fact.id);

  async function propose(request: ProposeRequest): Promise<ArgumentDraft[]> {
    const optionIds = request.options?.map((option) => option.id);
    const schema = proposeSchema(request.scheme, factIds(request), optionIds, request.maxDecisions);
    return guarded(request, { role: 'generator', stage: 'propose' }, [], async () => {
      const { value } = await client.completeStructured(
        schema,
        generatorProposePrompt(request),
        callOptions(request, 'generator', 'decision_arguments'),
      );
      return value.arguments.map((answer) => toDraft(request.scheme, answer, source, answer.option));
    });
  }

  async function verify(request: VerifyRequest): Promise<QuestionVerdict[]> {
    if (request.scheme.criticalQuestions.length === 0) return [];
    const schema = verifySchema(request.scheme);
    const failure = { role: 'verifier', stage: 'verify', argument: request.argument.id } as const;
    return guarded(request, failure, [], async () => {
      const { value } = await client.completeStructured(
        schema,
        verifierPrompt(request),
        callOptions(request, 'verifier', 'critical_question_verdicts'),
      );
      const verdicts = value.verdicts as Record<
        string,
        { reason: string; challenge: 'yes' | 'no' | 'unknown' }
      >;
      return request.scheme.criticalQuestions.map((question): QuestionVerdict => {
        const { reason, challenge } = verdicts[question.id];
        if (challenge === 'unknown') {
          return { question: question.id, verdict: 'unknown', reason, settle: `find out: ${reason}` };
        }
        return { question: question.id, verdict: challenge === 'yes' ? 'fail' : 'pass', reason };
      });
    });
  }

  async function counter(request: CounterRequest): Promise<ArgumentDraft | null> {
    const optionIds = candidateOptions(request.kase)?.map((option) => option.id);
    const schema = counterSchema(request.scheme, factIds(request), optionIds);
    // Null means "nothing to build it from" (a knowledge gap); a failed call is thrown (see `surfaced`).
    const { value } = await surfaced(() =>
      client.completeStructured(
        schema,
        generatorCounterPrompt(request, options.schemes.get(request.argument.scheme)),
        callOptions(request, 'generator', 'counter_argument'),
      ),
    );
    if (value.answer === 'unknown' || value.argument === null) return null;
    const answer = value.argument as Drafted & { option?: string };
    return toDraft(request.scheme, answer, source, answer.option);
  }

  async function compare(request: CompareRequest): Promise<ArgumentDraft[] | UnknownComparison> {
    const tied = [...new Set(request.tied.flatMap((argument) => (argument.option ? [argument.option] : [])))];
    if (tied.length < 2) return [];
    const schema = compareSchema(request.scheme, factIds(request), tied);
    // "none" is a genuine tie (no comparison), "unknown" an open question; a failed call is thrown (`surfaced`).
    const { value } = await surfaced(() =>
      client.completeStructured(
        schema,
        comparerPrompt(request),
        callOptions(request, 'comparer', 'better_decisions'),
      ),
    );
    if (value.answer === 'unknown') return { unknown: true, reason: value.reason };
    if (value.answer === 'none') return [];
    return value.comparisons.map((c) => {
      const answer = { ...c, variables: { ...c.variables, better: c.better, worse: c.worse } };
      return toDraft(request.scheme, answer, source, c.better);
    });
  }

  return {
    name: 'openai',
    generator: { propose, counter, compare },
    verifier: { verify },
  };
}
