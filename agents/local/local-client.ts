/**
 * The `local` back-end's model: a GGUF file loaded in this process by node-llama-cpp (an optional peer
 * dependency, installed by the user: it is not in argmed's default install), CPU only. Every structured
 * answer is constrained by a grammar made from the output's JSON Schema, then validated by its zod schema
 * like any other answer (what JSON Schema cannot say, such as options that must differ, is checked there);
 * an invalid answer gets one repair retry, as with the OpenAI client; an answer cut short by the token limit
 * is invalid, never guessed. It implements the
 * same `LlmClient` contract as the OpenAI-compatible client, so the generator and verifier are the same code.
 * Nothing is downloaded: the model is the file given, and node-llama-cpp never builds or fetches binaries here.
 */
import { basename } from 'node:path';
import { z } from 'zod';
import type { LlmCallRecord } from '../types.js';
import { type LlmClient, repairMessage } from '../llm/client.js';
import { LlmError } from '../llm/errors.js';
import { promptHash } from '../llm/prompt-hash.js';
import { validateAnswer } from '../llm/read-answer.js';
import type { CallOptions, LlmMessage, StructuredCallOptions } from '../llm/types.js';

/** The package loaded on demand (a variable, so TypeScript does not need it installed). */
const PACKAGE = 'node-llama-cpp';

export interface LocalModelOptions {
  /** Path of the .gguf file (`ARGMED_LOCAL_MODEL`). */
  modelPath: string;
  /** CPU threads (default 1: on two shared cores more threads made generation far slower). */
  threads?: number;
  /** Context window in tokens (default: the model's, at most 8192). */
  contextSize?: number;
  /** Most tokens an answer may take (default 1024). */
  maxTokens?: number;
}

/** The slice of node-llama-cpp 3.21 this client uses. */
interface Grammar {
  parse(text: string): unknown;
}
interface NodeLlamaCpp {
  getLlama(options: { gpu: false; build: 'never'; logLevel: string }): Promise<{
    loadModel(options: { modelPath: string }): Promise<{
      trainContextSize: number;
      createContext(options: { contextSize: number; threads: number }): Promise<{ getSequence(): unknown }>;
    }>;
    createGrammarForJsonSchema(schema: unknown): Promise<Grammar>;
  }>;
  LlamaCompletion: new (options: {
    contextSequence: unknown;
  }) => {
    generateCompletion(
      prompt: string,
      options: { grammar?: Grammar; maxTokens: number; signal?: AbortSignal },
    ): Promise<string>;
  };
}

/** Why the local back-end cannot start: the package is missing or the file cannot be loaded. */
export class LocalModelError extends Error {
  override readonly name = 'LocalModelError';
}

/** Loads node-llama-cpp, or explains how to install it. */
async function loadPackage(): Promise<NodeLlamaCpp> {
  try {
    return (await import(PACKAGE)) as NodeLlamaCpp;
  } catch {
    throw new LocalModelError(
      'the local back-end needs node-llama-cpp, which argmed does not install by default (its GPU builds are ' +
        'large): npm install --no-save --omit=optional node-llama-cpp@3.21.1 @node-llama-cpp/linux-x64@3.21.1 ' +
        '(see README, "Reasoning back-ends")',
    );
  }
}

/** The messages as one plain prompt: no chat template, so nothing is added that the model was not given. */
function promptOf(messages: readonly LlmMessage[]): string {
  return `${messages.map((m) => `### ${m.role}\n${m.content}`).join('\n\n')}\n\n### assistant\n`;
}

/**
 * Loads the model and returns a client for it.
 * @throws LocalModelError when node-llama-cpp is not installed or the file is not a loadable GGUF model.
 * @example const client = await createLocalLlmClient({ modelPath: '/models/qwen2.5-1.5b-q4.gguf' });
 */
export async function createLocalLlmClient(options: LocalModelOptions): Promise<LlmClient> {
  const lib = await loadPackage();
  const llama = await lib.getLlama({ gpu: false, build: 'never', logLevel: 'error' });
  let model: Awaited<ReturnType<typeof llama.loadModel>>;
  try {
    model = await llama.loadModel({ modelPath: options.modelPath });
  } catch (error) {
    throw new LocalModelError(
      `ARGMED_LOCAL_MODEL: cannot load "${options.modelPath}" as a GGUF model (${(error as Error).message})`,
    );
  }
  const contextSize = options.contextSize ?? Math.min(model.trainContextSize, 8192);
  const context = await model.createContext({ contextSize, threads: options.threads ?? 1 });
  const completion = new lib.LlamaCompletion({ contextSequence: context.getSequence() });
  const maxTokens = options.maxTokens ?? 1024;
  const name = `local:${basename(options.modelPath)}`;
  const grammars = new Map<string, Promise<Grammar>>();
  // One context sequence: calls take turns.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  async function generate(
    messages: readonly LlmMessage[],
    call: CallOptions,
    settings: Record<string, unknown>,
    grammar?: Grammar,
  ): Promise<string> {
    const hash = promptHash(name, settings, messages);
    const started = performance.now();
    const record = (error?: string): LlmCallRecord => ({
      role: call.role,
      promptHash: hash,
      model: name,
      tokensIn: 0,
      tokensOut: 0,
      latencyMs: Math.round(performance.now() - started),
      cached: false,
      attempts: 1,
      ...(error ? { error } : {}),
    });
    try {
      const text = await serial(() =>
        completion.generateCompletion(promptOf(messages), { grammar, maxTokens, signal: call.signal }),
      );
      call.recordCall?.(record());
      return text;
    } catch (error) {
      const aborted = call.signal?.aborted === true;
      const failure = aborted
        ? new LlmError('ARGMED_LLM_ABORTED', 'the caller cancelled the call')
        : new LlmError('ARGMED_LLM_UNAVAILABLE', `the local model failed (${(error as Error).name})`);
      call.recordCall?.(record(failure.code));
      throw failure;
    }
  }

  return {
    model: name,
    method: 'jsonSchema',
    async complete(messages, call) {
      const calls: LlmCallRecord[] = [];
      const text = await generate(
        messages,
        {
          ...call,
          recordCall: (r) => {
            calls.push(r);
            call.recordCall?.(r);
          },
        },
        {},
      );
      return { text, calls };
    },
    async completeStructured(schema, messages, call: StructuredCallOptions) {
      const jsonSchema = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'output' });
      const key = JSON.stringify(jsonSchema);
      let grammar = grammars.get(key);
      if (!grammar) {
        grammar = llama.createGrammarForJsonSchema(withoutUnsupported(jsonSchema));
        grammars.set(key, grammar);
      }
      const calls: LlmCallRecord[] = [];
      const recordCall = (r: LlmCallRecord) => {
        calls.push(r);
        call.recordCall?.(r);
      };
      const settings = { schema: key, name: call.name };
      const attempt = async (prompt: readonly LlmMessage[]) => {
        const text = await generate(prompt, { ...call, recordCall }, settings, await grammar);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw new LlmError(
            'ARGMED_LLM_INVALID_OUTPUT',
            'the answer ended before its JSON did (token limit)',
            {
              detail: 'Your answer was cut short.',
            },
          );
        }
        return validateAnswer(schema, value);
      };
      try {
        return { value: await attempt(messages), calls };
      } catch (error) {
        if (!(error instanceof LlmError) || error.code !== 'ARGMED_LLM_INVALID_OUTPUT') throw error;
        return { value: await attempt([...messages, repairMessage(error)]), calls };
      }
    },
    textCallKey(messages, call) {
      return promptHash(name, { temperature: call.temperature ?? 0, sample: call.sample ?? 0 }, messages);
    },
  };
}

/**
 * The schema as node-llama-cpp's grammar takes it: keywords it does not know are dropped (zod still checks
 * them), and an array of items keyed by an `option` enum with room for exactly one item per option is laid
 * out one item per option (`prefixItems` with a `const` option): that is how argmed's agents answer for given
 * options, and it lets the grammar enforce what the zod schema checks (every option once).
 */
function withoutUnsupported(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutUnsupported);
  if (schema === null || typeof schema !== 'object') return schema;
  const perOption = onePerOption(schema as Record<string, unknown>);
  if (perOption) return withoutUnsupported(perOption);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$schema' || key === 'pattern' || key === 'format' || key === 'description') continue;
    // `properties` maps names (which may be "pattern" or "description") to schemas: keep every name.
    out[key] =
      key === 'properties' && value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, withoutUnsupported(sub)]))
        : withoutUnsupported(value);
  }
  return out;
}

/** `{type: array, items: {properties: {option: {enum: [a, b]}}}, maxItems: 2}` -> one prefix item per option. */
function onePerOption(schema: Record<string, unknown>): Record<string, unknown> | undefined {
  if (schema.type !== 'array' || schema.prefixItems) return undefined;
  const items = schema.items as { properties?: Record<string, { enum?: unknown[] }> } | undefined;
  const options = items?.properties?.option?.enum;
  if (!options || options.length === 0 || schema.maxItems !== options.length) return undefined;
  const { items: _items, ...rest } = schema;
  return {
    ...rest,
    minItems: options.length,
    prefixItems: options.map((option) => ({
      ...items,
      properties: { ...items?.properties, option: { const: option } },
    })),
  };
}
