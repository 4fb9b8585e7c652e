/**
 * The LLM client every model call of argmed goes through: plain text (`complete`) and zod-validated
 * structured output (`completeStructured`), with a per-attempt timeout, retries with exponential backoff
 * and jitter (honouring Retry-After on 429), a concurrency limit, the call cache and one call record per
 * model call. An invalid structured answer gets exactly one repair retry carrying the validation error.
 *
 * Nothing here logs: case text and prompts leave this module only towards the configured endpoint.
 */
import type { AIMessage, BaseMessage } from '@langchain/core/messages';
import { AIMessage as AIMessageClass, HumanMessage, SystemMessage } from '@langchain/core/messages';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { LlmCallRecord } from '../types.js';
import { backoffDelay, sleep } from './backoff.js';
import { type ReportedUsage, type UsageSink, usageOption } from './chat-model.js';
import { type AttemptState, classifyError } from './classify-error.js';
import { isLlmError, LlmError } from './errors.js';
import { privacyCallbacks } from './privacy-callbacks.js';
import { promptHash } from './prompt-hash.js';
import { structuredValue, textOf, usageOf, validateAnswer } from './read-answer.js';
import { sharedChatModel, structuredModel } from './shared-models.js';
import { toolName } from './structured-output-options.js';
import {
  type CallOptions,
  DEFAULT_RETRY,
  type LlmClientOptions,
  type LlmMessage,
  type RetryPolicy,
  type StructuredCallOptions,
  type StructuredMethod,
  type StructuredResult,
  type TextResult,
} from './types.js';
import { onAbort } from './on-abort.js';

/** A client bound to one endpoint and model. */
export interface LlmClient {
  readonly model: string;
  readonly method: StructuredMethod;
  /**
   * A plain text answer.
   * @throws LlmError (ARGMED_LLM_TIMEOUT, _RATE_LIMITED, _UNAVAILABLE, _BAD_RESPONSE, _REJECTED, _EMPTY_OUTPUT,
   *   _ABORTED) once retries are spent; the failed call is recorded first.
   */
  complete(messages: readonly LlmMessage[], options: CallOptions): Promise<TextResult>;
  /**
   * An answer validated by `schema`; one repair retry (a second call, with the validation error) when the
   * first answer is not valid.
   * @throws LlmError ARGMED_LLM_INVALID_OUTPUT / _EMPTY_OUTPUT when the repair fails too, or the codes of `complete`.
   */
  completeStructured<S extends z.ZodType>(
    schema: S,
    messages: readonly LlmMessage[],
    options: StructuredCallOptions,
  ): Promise<StructuredResult<z.output<S>>>;
  /**
   * The cache key `complete` uses for these messages and options (model, settings, messages): lets a
   * caller look up the answers of calls it is about to make ahead of time (the eval run's prefetch).
   * O(size of the prompt).
   */
  textCallKey(messages: readonly LlmMessage[], options: Pick<CallOptions, 'temperature' | 'sample'>): string;
}

/** One HTTP attempt: sends under `signal` and hands the answer's token usage to `onUsage`. */
type SendAttempt<T> = (signal: AbortSignal, onUsage: UsageSink) => Promise<T>;

function checkOptions(options: LlmClientOptions): void {
  const problems: string[] = [];
  if (!options.model) problems.push('model is empty');
  if (!(options.timeoutMs > 0)) problems.push('timeoutMs must be > 0');
  if (!(Number.isInteger(options.maxRetries) && options.maxRetries >= 0))
    problems.push('maxRetries must be an integer >= 0');
  if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1))
    problems.push('concurrency must be an integer >= 1');
  if (problems.length > 0) throw new LlmError('ARGMED_LLM_CONFIG', problems.join('; '));
}

function toLangChain(messages: readonly LlmMessage[]): BaseMessage[] {
  return messages.map((m) => {
    if (m.role === 'system') return new SystemMessage(m.content);
    if (m.role === 'assistant') return new AIMessageClass(m.content);
    return new HumanMessage(m.content);
  });
}

const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

/**
 * The JSON Schema sent to the endpoint for a zod schema (no `$schema` key: some servers reject it),
 * converted once per schema object (the agents reuse their schemas; see output-schemas.ts).
 */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let json = jsonSchemas.get(schema);
  if (json === undefined) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
    json = rest;
    jsonSchemas.set(schema, json);
  }
  return json;
}

/** JSON mode sends no schema to the endpoint: the prompt has to carry it. */
function withSchemaInstruction(
  messages: readonly LlmMessage[],
  schema: Record<string, unknown>,
): LlmMessage[] {
  const instruction =
    'Answer with one JSON object only, no prose and no code fence, valid against this JSON Schema:\n' +
    JSON.stringify(schema);
  if (messages[0]?.role === 'system') {
    return [{ role: 'system', content: `${messages[0].content}\n\n${instruction}` }, ...messages.slice(1)];
  }
  return [{ role: 'system', content: instruction }, ...messages];
}

/** The message of a repair retry: the validation error, and the request to answer again. */
export function repairMessage(error: LlmError): LlmMessage {
  return {
    role: 'user',
    content:
      'Your previous answer was rejected because it does not match the required structure:\n' +
      (error.detail ?? error.message) +
      '\nAnswer the same request again, with a complete answer that satisfies the required structure.',
  };
}

const REPAIRABLE = new Set(['ARGMED_LLM_INVALID_OUTPUT', 'ARGMED_LLM_EMPTY_OUTPUT']);

/** Rejects when the signal aborts: an attempt never outlives its timeout, whatever the library does. */
function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * Creates a client.
 * @param options endpoint and model (`LlmOptions`), plus cache, retry policy, streaming, max tokens
 * @throws LlmError ARGMED_LLM_CONFIG for impossible settings
 * @example
 *   const llm = createLlmClient({ baseURL: 'http://127.0.0.1:8000/v1', model: 'qwen2.5', structuredMethod: 'jsonSchema',
 *     timeoutMs: 60_000, maxRetries: 4, concurrency: 8 });
 *   const { text } = await llm.complete([{ role: 'user', content: 'Say hi' }], { role: 'baseline' });
 */
export function createLlmClient(options: LlmClientOptions): LlmClient {
  checkOptions(options);
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const slots = pLimit(options.concurrency);
  const cache = options.cache;

  /**
   * Runs `task` when one of the `concurrency` slots is free, callers served in arrival order. A caller whose
   * signal aborts while it waits leaves at once with ARGMED_LLM_ABORTED (its turn, when it comes, passes
   * straight on); a task that has started answers the signal itself.
   */
  function whenSlotFree<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const leave = () => reject(new LlmError('ARGMED_LLM_ABORTED', 'the call was cancelled'));
      if (signal?.aborted) return leave();
      const unwatch = onAbort(signal, leave);
      slots(() => {
        unwatch();
        return signal?.aborted ? undefined : task();
      }).then((value) => resolve(value as T), reject);
    });
  }

  /** One HTTP attempt inside a concurrency slot and under the timeout. Always throws an LlmError. */
  function attempt<T>(run: SendAttempt<T>, callerSignal?: AbortSignal): Promise<T> {
    return whenSlotFree(() => attemptInSlot(run, callerSignal), callerSignal);
  }

  async function attemptInSlot<T>(run: SendAttempt<T>, callerSignal?: AbortSignal): Promise<T> {
    const controller = new AbortController();
    const state: AttemptState = { timedOut: false, callerAborted: false, timeoutMs: options.timeoutMs };
    const onCallerAbort = () => {
      state.callerAborted = true;
      controller.abort(callerSignal?.reason);
    };
    if (callerSignal?.aborted) onCallerAbort();
    const unwatch = onAbort(callerSignal, onCallerAbort);
    const timer = setTimeout(() => {
      state.timedOut = true;
      controller.abort(new Error('timeout'));
    }, options.timeoutMs);
    let reported: ReportedUsage | undefined;
    try {
      const running = run(controller.signal, (usage) => (reported = usage));
      return await Promise.race([running, abortion(controller.signal)]);
    } catch (error) {
      const classified = classifyError(error, state);
      if (reported) {
        classified.usage = {
          tokensIn: reported.prompt_tokens ?? 0,
          tokensOut: reported.completion_tokens ?? 0,
        };
      }
      throw classified;
    } finally {
      clearTimeout(timer);
      unwatch();
    }
  }

  /** Attempts until success, a final error, or maxRetries retries. */
  async function withRetries<T>(run: SendAttempt<T>, signal?: AbortSignal) {
    for (let retry = 0; ; retry++) {
      try {
        return { value: await attempt(run, signal), attempts: retry + 1 };
      } catch (caught) {
        const error = caught as LlmError;
        error.attempts = retry + 1;
        const waitTooLong = error.retryAfterMs !== undefined && error.retryAfterMs > policy.maxRetryAfterMs;
        if (!error.retryable || retry >= options.maxRetries || waitTooLong) throw error;
        try {
          await sleep(backoffDelay(retry, policy, error.retryAfterMs), signal);
        } catch {
          const aborted = new LlmError('ARGMED_LLM_ABORTED', 'the call was cancelled');
          aborted.attempts = retry + 1;
          throw aborted;
        }
      }
    }
  }

  interface Pending {
    role: LlmCallRecord['role'];
    hash: string;
    started: number;
    recordCall?: (call: LlmCallRecord) => void;
    calls: LlmCallRecord[];
  }

  function record(
    p: Pending,
    fields: Pick<LlmCallRecord, 'tokensIn' | 'tokensOut' | 'cached' | 'attempts' | 'error'>,
  ) {
    const call: LlmCallRecord = {
      role: p.role,
      promptHash: p.hash,
      model: options.model,
      tokensIn: fields.tokensIn,
      tokensOut: fields.tokensOut,
      latencyMs: Math.round(performance.now() - p.started),
      cached: fields.cached,
      attempts: fields.attempts,
      ...(fields.error === undefined ? {} : { error: fields.error }),
    };
    p.calls.push(call);
    try {
      p.recordCall?.(call);
    } catch {
      // A failing listener must not turn a paid, valid answer into a failure.
    }
    return call;
  }

  async function cacheGet(key: string): Promise<string | undefined> {
    try {
      return await cache?.get(key);
    } catch {
      return undefined; // a broken cache costs money, not correctness
    }
  }

  async function cacheSet(key: string, answer: string, call: LlmCallRecord): Promise<void> {
    try {
      await cache?.set(key, answer, call);
    } catch {
      // as above
    }
  }

  /**
   * One model call (with its retries): served from the cache or sent; `accept` turns the answer into the
   * value and the string to cache, or throws an LlmError. Records the call either way.
   */
  async function oneCall<T>(
    p: Pending,
    send: SendAttempt<AIMessage>,
    accept: (message: AIMessage) => { value: T; answer: string },
    fromCache: (answer: string) => T,
    signal?: AbortSignal,
  ): Promise<T> {
    const cached = await cacheGet(p.hash);
    if (cached !== undefined) {
      try {
        const value = fromCache(cached);
        record(p, { tokensIn: 0, tokensOut: 0, cached: true, attempts: 0 });
        return value;
      } catch {
        // An entry that no longer validates is ignored and replaced.
      }
    }
    let attempts = 0;
    let usage = { tokensIn: 0, tokensOut: 0 };
    try {
      const sent = await withRetries(send, signal);
      attempts = sent.attempts;
      usage = usageOf(sent.value);
      const { value, answer } = accept(sent.value);
      const call = record(p, { ...usage, cached: false, attempts });
      await cacheSet(p.hash, answer, call);
      return value;
    } catch (caught) {
      const error = isLlmError(caught)
        ? caught
        : classifyError(caught, { timedOut: false, callerAborted: false, timeoutMs: options.timeoutMs });
      record(p, {
        ...(error.usage ?? usage),
        cached: false,
        attempts: error.attempts ?? attempts,
        error: error.code,
      });
      throw error;
    }
  }

  function textCallKey(
    messages: readonly LlmMessage[],
    call: Pick<CallOptions, 'temperature' | 'sample'>,
  ): string {
    const settings = {
      output: 'text',
      temperature: call.temperature ?? 0,
      sample: call.sample ?? 0,
      maxTokens: options.maxTokens ?? null,
    };
    return promptHash(options.model, settings, messages);
  }

  async function complete(messages: readonly LlmMessage[], call: CallOptions): Promise<TextResult> {
    const temperature = call.temperature ?? 0;
    const p: Pending = {
      role: call.role,
      hash: textCallKey(messages, call),
      started: performance.now(),
      recordCall: call.recordCall,
      calls: [],
    };
    const lc = toLangChain(messages);
    const text = await oneCall(
      p,
      (signal, onUsage) =>
        sharedChatModel(options, temperature).invoke(lc, {
          signal,
          callbacks: privacyCallbacks(),
          ...usageOption(onUsage),
        }),
      (message) => {
        const answer = textOf(message);
        if (answer.trim() === '') throw new LlmError('ARGMED_LLM_EMPTY_OUTPUT', 'the model answered nothing');
        return { value: answer, answer };
      },
      (answer) => answer,
      call.signal,
    );
    return { text, calls: p.calls };
  }

  async function completeStructured<S extends z.ZodType>(
    schema: S,
    messages: readonly LlmMessage[],
    call: StructuredCallOptions,
  ): Promise<StructuredResult<z.output<S>>> {
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(call.name)) {
      throw new LlmError(
        'ARGMED_LLM_CONFIG',
        `output name "${call.name}" must be a letter then letters, digits, _ or -`,
      );
    }
    const method = call.method ?? options.structuredMethod;
    const temperature = call.temperature ?? 0;
    const jsonSchema = jsonSchemaOf(schema);
    const settings = {
      output: 'structured',
      method,
      name: call.name,
      schema: jsonSchema,
      temperature,
      sample: call.sample ?? 0,
      maxTokens: options.maxTokens ?? null,
    };
    const prompt = method === 'jsonMode' ? withSchemaInstruction(messages, jsonSchema) : [...messages];
    const asked = { method, tool: toolName(call.name, jsonSchema) };
    const calls: LlmCallRecord[] = [];

    const run = (turn: LlmMessage[]) => {
      const p: Pending = {
        role: call.role,
        hash: promptHash(options.model, settings, turn),
        started: performance.now(),
        recordCall: call.recordCall,
        calls,
      };
      const lc = toLangChain(turn);
      return oneCall(
        p,
        async (signal, onUsage) => {
          const runnable = structuredModel(
            sharedChatModel(options, temperature),
            method,
            call.name,
            jsonSchema,
          );
          const callOptions = { signal, callbacks: privacyCallbacks(), ...usageOption(onUsage) };
          return (await runnable.invoke(lc, callOptions)) as AIMessage;
        },
        (message) => {
          const raw = structuredValue(message, asked);
          return { value: validateAnswer(schema, raw), answer: JSON.stringify(raw) };
        },
        (answer) => validateAnswer(schema, JSON.parse(answer)),
        call.signal,
      );
    };

    try {
      return { value: await run(prompt), calls };
    } catch (caught) {
      const error = caught as LlmError;
      if (!REPAIRABLE.has(error.code)) throw error;
      return { value: await run([...prompt, repairMessage(error)]), calls };
    }
  }

  return {
    model: options.model,
    method: options.structuredMethod,
    complete,
    completeStructured,
    textCallKey,
  };
}
