/**
 * Builds the `ChatOpenAI` model (from @langchain/openai) the client calls: any OpenAI-compatible endpoint
 * through `configuration.baseURL`, the library's own retries off (the client retries with its own policy),
 * token counting kept offline, and answers whose body is not JSON turned into a typed error.
 */
import { Readable } from 'node:stream';
import {
  AzureChatOpenAI,
  AzureChatOpenAICompletions,
  ChatOpenAI,
  ChatOpenAICompletions,
} from '@langchain/openai';
import { LlmError } from './errors.js';
import { sendHttp } from './http-fetch.js';
import type { LlmClientOptions } from './types.js';

/** What the override reads of a request (streaming or not: one implementation serves both overloads). */
type CompletionRequest = { stream?: boolean | null; response_format?: { type: string } };
type RequestOptions = Parameters<ChatOpenAICompletions['completionWithRetry']>[1];

/**
 * Sends a `json_schema` request with the SDK's plain `create`, not its `parse`: `parse` runs JSON.parse on the
 * content itself and throws on a code fence or a cut answer before argmed sees the message, whereas argmed reads
 * and checks every structured answer itself (read-answer.ts: finish reason, fences, duplicate keys, the schema).
 * The request sent is the same. Other requests go the library's way.
 */
function sendUnparsed(
  completions: ChatOpenAICompletions,
  request: CompletionRequest,
  requestOptions: RequestOptions,
  send: () => Promise<unknown>,
): Promise<unknown> {
  if (request.stream || request.response_format?.type !== 'json_schema') return send();
  const { maxRetries, ...sdkOptions } = (requestOptions ?? {}) as RequestOptions & { maxRetries?: number };
  const clientOptions = completions._getClientOptions(sdkOptions);
  const client = (
    completions as unknown as {
      client: { chat: { completions: { create: (...a: unknown[]) => Promise<unknown> } } };
    }
  ).client;
  return completions.caller.callWithOptions({ maxRetries }, () =>
    client.chat.completions.create(request, clientOptions),
  );
}

/**
 * The chat-completions implementation with an offline token estimate and unparsed `json_schema` answers. LangChain
 * estimates usage of streamed answers with a tokenizer it downloads on first use; argmed must not touch the
 * network beyond the configured endpoint, and real usage arrives in the stream's last chunk anyway.
 */
class OfflineCompletions extends ChatOpenAICompletions {
  override async getNumTokens(content: unknown): Promise<number> {
    const text = typeof content === 'string' ? content : JSON.stringify(content ?? '');
    return Math.ceil(text.length / 4);
  }

  // biome-ignore lint/suspicious/noExplicitAny: one implementation answers both overloads of the base method.
  override completionWithRetry(request: CompletionRequest, requestOptions?: RequestOptions): Promise<any> {
    return sendUnparsed(this as unknown as ChatOpenAICompletions, request, requestOptions, () =>
      super.completionWithRetry(request as never, requestOptions),
    );
  }
}

/** The same for Azure OpenAI. */
class OfflineAzureCompletions extends AzureChatOpenAICompletions {
  override async getNumTokens(content: unknown): Promise<number> {
    const text = typeof content === 'string' ? content : JSON.stringify(content ?? '');
    return Math.ceil(text.length / 4);
  }

  // biome-ignore lint/suspicious/noExplicitAny: one implementation answers both overloads of the base method.
  override completionWithRetry(request: CompletionRequest, requestOptions?: RequestOptions): Promise<any> {
    return sendUnparsed(this as unknown as ChatOpenAICompletions, request, requestOptions, () =>
      super.completionWithRetry(request as never, requestOptions),
    );
  }
}

/** Token usage as an endpoint reports it in a JSON answer. */
export interface ReportedUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/** Receives the usage of each JSON answer of one attempt. */
export type UsageSink = (usage: ReportedUsage) => void;

/** The key under which a call's `UsageSink` travels in the SDK's `fetchOptions` down to `checkedFetch`. */
const USAGE_SINK = 'argmedUsageSink';

/**
 * The LangChain call option that hands `sink` the usage of the attempt's JSON answers. The OpenAI SDK can
 * throw while reading an answer (model content that is not JSON, with `response_format: json_schema`), and
 * the usage would be lost with it; the client passes one sink per attempt so that the tokens are still
 * recorded. It rides on the request (the SDK copies `fetchOptions` into the fetch call) rather than in an
 * AsyncLocalStorage, whose first use turns on promise hooks that tax every promise of the process.
 */
export function usageOption(sink: UsageSink): { options: { fetchOptions: Record<string, never> } } {
  // Typed as empty: the SDK's fetchOptions type lists only fetch's own fields.
  return { options: { fetchOptions: { [USAGE_SINK]: sink } as unknown as Record<string, never> } };
}

const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * The `fetch` given to the OpenAI SDK: sends over node:http (http-fetch.ts), and checks a JSON answer is
 * JSON before the SDK reads it, so that a broken body is reported as `ARGMED_LLM_BAD_RESPONSE` (retryable)
 * rather than as an unlabelled SyntaxError that could be confused with a model's invalid JSON content.
 * Streams and error answers pass through untouched.
 */
async function checkedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const answer = await sendHttp(input, init);
  const head = { status: answer.status, statusText: answer.statusText, headers: answer.headers };
  if (answer.stream) return new Response(Readable.toWeb(answer.stream) as ReadableStream, head);
  const text = answer.text ?? '';
  const ok = answer.status >= 200 && answer.status < 300;
  if (ok && answer.contentType.includes('json')) {
    let body: { usage?: ReportedUsage } | null;
    try {
      body = JSON.parse(text) as { usage?: ReportedUsage } | null;
    } catch {
      throw new LlmError('ARGMED_LLM_BAD_RESPONSE', 'the endpoint answered with a body that is not JSON', {
        status: answer.status,
      });
    }
    const sink = (init as Record<string, unknown> | undefined)?.[USAGE_SINK] as UsageSink | undefined;
    if (body?.usage) sink?.(body.usage);
    return parsedResponse(input, head, text, body);
  }
  return new Response(NULL_BODY.has(answer.status) ? null : text, head);
}

/**
 * A successful JSON answer as the SDK reads it (status, headers, `json()`), holding the body parsed above:
 * a WHATWG Response would make the SDK parse the text a second time, through a body stream.
 */
function parsedResponse(
  input: string | URL | Request,
  head: { status: number; statusText: string; headers: Array<[string, string]> },
  text: string,
  body: unknown,
): Response {
  let used = false;
  const read = <T>(value: T): Promise<T> => {
    if (used) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    used = true;
    return Promise.resolve(value);
  };
  const response = {
    ok: true,
    redirected: false,
    type: 'basic',
    url: input instanceof Request ? input.url : String(input),
    status: head.status,
    statusText: head.statusText,
    headers: new Headers(head.headers),
    body: null,
    get bodyUsed() {
      return used;
    },
    json: () => read(body),
    text: () => read(text),
  };
  return response as unknown as Response;
}

/**
 * Creates the model for one temperature: `AzureChatOpenAI` when `options.azure` is set (the deployment is
 * `options.model`), otherwise `ChatOpenAI` on `options.baseURL`.
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
  if (options.azure) {
    const azureFields = {
      ...fields,
      apiKey: undefined,
      configuration: { fetch: checkedFetch },
      azureOpenAIApiKey: options.apiKey,
      azureOpenAIEndpoint: options.azure.endpoint,
      azureOpenAIApiInstanceName: options.azure.instanceName,
      azureOpenAIApiDeploymentName: options.model,
      azureOpenAIApiVersion: options.azure.apiVersion,
    };
    const model = new AzureChatOpenAI(azureFields);
    // AzureChatOpenAI builds its own completions object; swap in the one that counts tokens offline.
    (model as unknown as { completions: ChatOpenAICompletions }).completions = new OfflineAzureCompletions(
      azureFields,
    );
    return model;
  }
  return new ChatOpenAI({ ...fields, completions: new OfflineCompletions(fields) });
}
