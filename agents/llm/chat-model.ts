/**
 * Builds the `ChatOpenAI` model (from @langchain/openai) the client calls: any OpenAI-compatible endpoint
 * through `configuration.baseURL`, the library's own retries off (the client retries with its own policy),
 * token counting kept offline, and answers whose body is not JSON turned into a typed error.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ChatOpenAI, ChatOpenAICompletions } from '@langchain/openai';
import { LlmError } from './errors.js';
import type { LlmClientOptions } from './types.js';

/**
 * The chat-completions implementation with an offline token estimate. LangChain estimates usage of
 * streamed answers with a tokenizer it downloads on first use; argmed must not touch the network beyond
 * the configured endpoint, and real usage arrives in the stream's last chunk anyway.
 */
class OfflineCompletions extends ChatOpenAICompletions {
  override async getNumTokens(content: unknown): Promise<number> {
    const text = typeof content === 'string' ? content : JSON.stringify(content ?? '');
    return Math.ceil(text.length / 4);
  }
}

/** Token usage as an endpoint reports it in a JSON answer. */
export interface ReportedUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/**
 * Receives the usage of each JSON answer of the current attempt. The OpenAI SDK can throw while reading
 * an answer (model content that is not JSON, with `response_format: json_schema`), and the usage would
 * be lost with it; the client opens this per attempt so that the tokens are still recorded.
 */
export const usageSink = new AsyncLocalStorage<(usage: ReportedUsage) => void>();

/**
 * `fetch` that checks a JSON answer is JSON before the OpenAI SDK reads it, so that a broken body is
 * reported as `ARGMED_LLM_BAD_RESPONSE` (retryable) rather than as an unlabelled SyntaxError that could be
 * confused with a model's invalid JSON content. Streams and error answers pass through untouched.
 */
async function checkedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok || !type.includes('json')) return response;
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { usage?: ReportedUsage } | null;
    if (body?.usage) usageSink.getStore()?.(body.usage);
  } catch {
    throw new LlmError('ARGMED_LLM_BAD_RESPONSE', 'the endpoint answered with a body that is not JSON', {
      status: response.status,
    });
  }
  return new Response(text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * Creates the model for one temperature.
 * @param options endpoint, model, timeout, streaming, max tokens
 * @param temperature 0 for reproducible answers
 */
export function createChatModel(options: LlmClientOptions, temperature: number): ChatOpenAI {
  const fields = {
    model: options.model,
    temperature,
    // Local servers ignore the key; the SDK insists on one.
    apiKey: options.apiKey ?? 'not-needed',
    configuration: { baseURL: options.baseURL, fetch: checkedFetch },
    // The client aborts each attempt itself at timeoutMs; this is a backstop.
    timeout: options.timeoutMs + 1_000,
    maxRetries: 0,
    streaming: options.streaming ?? false,
    streamUsage: true,
    maxTokens: options.maxTokens,
  };
  return new ChatOpenAI({ ...fields, completions: new OfflineCompletions(fields) });
}
