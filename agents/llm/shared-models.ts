/**
 * The chat models, and their bindings to output schemas, shared by every client of one endpoint and set of
 * model settings. The service builds a client per case (each case has its own call cache), and building the
 * LangChain model and binding it to each output schema again for every case cost about 0.7 ms of CPU a model
 * call, a third of a call's CPU (`npm run bench:engine`, zero latency). A model keeps nothing of a call: the
 * client passes the signal, the callbacks and the usage sink with each one.
 */
import type { ChatOpenAI } from '@langchain/openai';
import { createChatModel } from './chat-model.js';
import { LlmError } from './errors.js';
import { structuredOutputOptions } from './structured-output-options.js';
import type { LlmClientOptions, StructuredMethod } from './types.js';

/** A chat model bound to the request settings of one output schema. */
export type StructuredModel = ReturnType<ChatOpenAI['withConfig']>;

/** Models kept before the oldest is dropped (settings differ by endpoint, model and temperature). */
const MAX_MODELS = 64;
const models = new Map<string, ChatOpenAI>();
// By model, then by JSON Schema object (one per zod schema: the client converts each once), then by method and name.
const bindings = new WeakMap<ChatOpenAI, WeakMap<Record<string, unknown>, Map<string, StructuredModel>>>();

/** The model for these settings and temperature: the one built before, or a new one. */
export function sharedChatModel(options: LlmClientOptions, temperature: number): ChatOpenAI {
  // Everything createChatModel reads, so that two clients share a model only when it would be the same.
  const key = JSON.stringify([
    options.baseURL ?? null,
    options.apiKey ?? null,
    options.model,
    options.azure ?? null,
    options.timeoutMs,
    options.streaming ?? false,
    options.maxTokens ?? null,
    temperature,
  ]);
  let model = models.get(key);
  if (model === undefined) {
    if (models.size >= MAX_MODELS) models.delete(models.keys().next().value!);
    model = createChatModel(options, temperature);
    models.set(key, model);
  }
  return model;
}

/**
 * The model bound to one output schema's request settings (structured-output-options.ts).
 * @throws LlmError ARGMED_LLM_CONFIG when LangChain refuses the method for this model (JSON Schema on gpt-4)
 */
export function structuredModel(
  model: ChatOpenAI,
  method: StructuredMethod,
  name: string,
  jsonSchema: Record<string, unknown>,
): StructuredModel {
  let bySchema = bindings.get(model);
  if (bySchema === undefined) {
    bySchema = new WeakMap();
    bindings.set(model, bySchema);
  }
  let bound = bySchema.get(jsonSchema);
  if (bound === undefined) {
    bound = new Map();
    bySchema.set(jsonSchema, bound);
  }
  const key = `${method} ${name}`;
  let structured = bound.get(key);
  if (structured === undefined) {
    try {
      // Built only to let LangChain refuse a method the model cannot use; the call itself goes through the
      // model bound to the same request settings.
      model.withStructuredOutput(jsonSchema, { name, method, includeRaw: true });
    } catch {
      throw new LlmError(
        'ARGMED_LLM_CONFIG',
        `structured-output method ${method} is not available for this model`,
      );
    }
    structured = model.withConfig(structuredOutputOptions(method, name, jsonSchema));
    bound.set(key, structured);
  }
  return structured;
}
