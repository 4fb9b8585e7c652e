/**
 * A local OpenAI-compatible chat server for tests and benchmarks: `POST /v1/chat/completions`, plain JSON or
 * server-sent events (`stream: true`), on 127.0.0.1 and an ephemeral port. Answers come from a scripted
 * responder and can be faults (429 with Retry-After, 5xx, a hang, a body that is not JSON, a stream cut short,
 * an empty answer) so that the LLM client's retry, timeout and repair paths run against real HTTP.
 *
 * Structured answers (`{ json }`) are delivered the way the request asked for them: as a tool call when the
 * request carries `tools` (langchain's `functionCalling`), otherwise as JSON message content (`jsonSchema`
 * sends `response_format: { type: 'json_schema' }`, `jsonMode` sends `{ type: 'json_object' }`).
 *
 * `behaviour` makes it act like servers that differ in structured output (docs/models.md): one that ignores
 * `response_format` (answers JSON in a code fence as plain text), one that accepts only `json_object`, one
 * that needs tool calling. `azure` serves the Azure OpenAI route (`/openai/deployments/D/chat/completions`,
 * `api-key` header, `api-version` query) instead of `/v1`.
 *
 * It must not import vitest: `test/support` is compiled into `dist/` for the benchmarks. It is one file (past
 * the usual length) so that tests and benchmarks import one module: server, matchers and answer sampler.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** The part of a chat-completions request body the mock and its matchers read. */
export interface MockChatRequest {
  model?: string;
  messages: Array<{ role: string; content?: unknown; name?: string }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: Array<{ type: string; function: { name: string; parameters?: unknown } }>;
  tool_choice?: unknown;
  response_format?: { type: string; json_schema?: { name?: string; schema?: unknown } };
  temperature?: number;
  [key: string]: unknown;
}

/** What the mock answers to one request. A plain string is the answer text. */
export type MockReply =
  | string
  | { text: string }
  /** A structured answer: a tool call when the request has tools, else JSON content. */
  | { json: unknown }
  /** Raw text for the structured slot (tool arguments or content), e.g. broken JSON from a model. */
  | { rawJson: string }
  /** An error status; `retryAfter` is sent as given (seconds, or an HTTP date, or anything a server sends). */
  | { status: 429; retryAfter?: number | string }
  | { status: number; retryAfter?: number | string }
  /**
   * A raw HTTP answer written as given (default status 200, `content-type: application/json`): a body that is
   * JSON but not a chat completion, a gzip-encoded or server-sent-events body, a completion with an unusual
   * `finish_reason`. `cutAfter` writes only that many bytes of the body and then resets the connection;
   * `stallAfter` writes that many and then sends nothing more, never ending the answer.
   */
  | {
      http: {
        status?: number;
        headers?: Record<string, string>;
        body: string | Buffer;
        cutAfter?: number;
        stallAfter?: number;
      };
    }
  /** Never answers (the client's timeout must fire). */
  | { hang: true }
  /** HTTP 200 whose body is not JSON. */
  | { malformedJson: true }
  /** Starts the answer (stream or body) and drops the connection half-way. */
  | { truncatedStream: true }
  /** HTTP 200 with an empty message (no content, no tool call). */
  | { empty: true };

export type MockResponder = (request: MockChatRequest, index: number) => MockReply | Promise<MockReply>;

/** What a server does with one way of asking for structured output. */
export type MockSupport = 'honour' | 'ignore' | 'refuse';

/** How the server treats `response_format: json_schema`, `response_format: json_object` and `tools`. */
export interface MockBehaviour {
  jsonSchema?: MockSupport;
  jsonObject?: MockSupport;
  tools?: MockSupport;
}

export interface MockOpenAIOptions {
  /** Structured-output support (default: all honoured, as the OpenAI API does). */
  behaviour?: MockBehaviour;
  /** Serve Azure OpenAI's route for this deployment, checking this key, instead of `/v1`. */
  azure?: { deployment: string; apiKey: string };
  /** Scripted answers; `index` counts requests from 0. Default: answers `ok`. */
  respond?: MockResponder;
  /** Delay before each answer, in milliseconds (a number, or per request). Default 0. */
  latencyMs?: number | ((request: MockChatRequest, index: number) => number);
  /** Model name reported in answers. Default: the requested model. */
  model?: string;
}

export interface MockOpenAI {
  /** Base URL to give an OpenAI client, ending in `/v1`. */
  url: string;
  /** Every request body received, in arrival order. */
  requests: MockChatRequest[];
  /** The path and query of every request received, in arrival order. */
  paths: string[];
  /** Requests being answered right now, and the most seen at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Stops the server, dropping hung requests. */
  close(): Promise<void>;
}

/** Rough token count (4 characters a token) so usage figures grow with the text. */
function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
  }
  return '';
}

/** The system prompt of a request (all system messages joined). */
export function systemPrompt(request: MockChatRequest): string {
  return request.messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => messageText(m.content))
    .join('\n');
}

/** The text of every message of a request, joined. */
export function promptText(request: MockChatRequest): string {
  return request.messages.map((m) => messageText(m.content)).join('\n');
}

/** The text of the last user message. */
export function lastUserMessage(request: MockChatRequest): string {
  const users = request.messages.filter((m) => m.role === 'user');
  return messageText(users[users.length - 1]?.content);
}

/** The argmed role named in the system prompt (`argmed role: verifier`), if any. */
export function roleOf(request: MockChatRequest): string | undefined {
  return /argmed role: ([a-z-]+)/.exec(systemPrompt(request))?.[1];
}

/** Where argmed's JSON-mode prompts put the schema (JSON mode sends none in the request). */
const SCHEMA_IN_PROMPT = 'valid against this JSON Schema:\n';

/** The JSON Schema a structured request asks for (tool parameters, response_format, or in a JSON-mode prompt). */
export function requestedSchema(request: MockChatRequest): unknown {
  const sent = request.tools?.[0]?.function.parameters ?? request.response_format?.json_schema?.schema;
  if (sent !== undefined) return sent;
  const system = systemPrompt(request);
  const at = system.indexOf(SCHEMA_IN_PROMPT);
  if (at < 0) return undefined;
  try {
    return JSON.parse(system.slice(at + SCHEMA_IN_PROMPT.length).split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** How `sampleFromSchema` fills values; paths are property names and array indexes from the root. */
export interface SampleOptions {
  /** The value of an enum at a path (default: its first value). */
  choose?: (path: string[], values: unknown[]) => unknown;
  /** The text of a free string at a path (default: `value of <path>`). */
  text?: (path: string[]) => string;
}

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  pattern?: string;
};

function sampleArray(schema: JsonSchema, options: SampleOptions, path: string[]): unknown[] {
  const max = schema.maxItems ?? Number.POSITIVE_INFINITY;
  const optionEnum = schema.items?.properties?.option?.enum;
  if (optionEnum && schema.items) {
    // argmed asks for one argument per candidate option: give each option once.
    return optionEnum.slice(0, max).map((option, index) => ({
      ...(sampleFromSchema(schema.items, options, [...path, String(index)]) as object),
      option,
    }));
  }
  const count = Math.min(max, Math.max(schema.minItems ?? 0, 1));
  return Array.from({ length: count }, (_, index) =>
    sampleFromSchema(schema.items ?? {}, options, [...path, String(index)]),
  );
}

/** The first value, except for a comparison's `worse` option, which must differ from `better` (the first). */
function defaultChoice(path: string[], values: unknown[]): unknown {
  return path[path.length - 1] === 'worse' ? (values[1] ?? values[0]) : values[0];
}

/**
 * A value valid against a JSON Schema of the shapes argmed sends (objects with all properties required,
 * arrays, enums, strings, numbers, nullable alternatives). Refinements beyond JSON Schema are not known to
 * it, except two of argmed's: an array of items with an enum `option` gets one item per option (propose),
 * and an enum named `worse` takes its second value so that it differs from `better` (compare).
 */
export function sampleFromSchema(schema: unknown, options: SampleOptions = {}, path: string[] = []): unknown {
  const s = (schema ?? {}) as JsonSchema;
  if (s.const !== undefined) return s.const;
  if (s.enum) return options.choose ? options.choose(path, s.enum) : defaultChoice(path, s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) {
    const chosen = alternatives.find((a) => a.type !== 'null') ?? alternatives[0];
    return sampleFromSchema(chosen, options, path);
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (type === 'object' || s.properties) {
    const entries = Object.entries(s.properties ?? {}).map(([key, value]) => [
      key,
      sampleFromSchema(value, options, [...path, key]),
    ]);
    return Object.fromEntries(entries);
  }
  if (type === 'array') return sampleArray(s, options, path);
  if (type === 'number' || type === 'integer') return s.minimum ?? 1;
  if (type === 'boolean') return false;
  if (type === 'null') return null;
  if (s.pattern) return `id${path.length}`;
  return options.text ? options.text(path) : `value of ${path.join('.') || 'answer'}`;
}

/**
 * A responder that answers every structured request with `sampleFromSchema` of the schema it asks for,
 * and plain requests with `text`. Enough for benchmarks of the dialogue's mechanics (latency, call counts).
 */
export function autoAnswer(options: SampleOptions & { plain?: string } = {}): MockResponder {
  return function autoResponder(request) {
    const schema = requestedSchema(request);
    if (schema === undefined) return options.plain ?? 'ok';
    return { json: sampleFromSchema(schema, options) };
  };
}

/** One rule of a script: when the role and content match, answer `reply` (at most `times` times). */
export interface ScriptRule {
  role?: string;
  content?: string | RegExp;
  reply: MockReply | ((request: MockChatRequest, matched: number) => MockReply);
  times?: number;
}

/**
 * A responder from rules, tried in order; a rule's `reply` function receives how often the rule matched
 * before (0 first), which scripts "a 429, then the answer". Unmatched requests get `fallback`
 * (default: HTTP 500, so a missing rule shows up as a failure rather than a silent answer).
 */
export function scripted(rules: ScriptRule[], fallback: MockReply = { status: 500 }): MockResponder {
  const matched = rules.map(() => 0);
  return function scriptedResponder(request) {
    for (const [index, rule] of rules.entries()) {
      if (rule.times !== undefined && matched[index] >= rule.times) continue;
      if (rule.role !== undefined && roleOf(request) !== rule.role) continue;
      if (rule.content !== undefined) {
        const text = promptText(request);
        const hit = typeof rule.content === 'string' ? text.includes(rule.content) : rule.content.test(text);
        if (!hit) continue;
      }
      const count = matched[index]++;
      return typeof rule.reply === 'function' ? rule.reply(request, count) : rule.reply;
    }
    return fallback;
  };
}

/** The way of asking for structured output that the server refuses, if the request uses one. */
function refusedPart(request: MockChatRequest, behaviour: MockBehaviour): string | undefined {
  const format = request.response_format?.type;
  if (format === 'json_schema' && behaviour.jsonSchema === 'refuse') return 'response_format json_schema';
  if (format === 'json_object' && behaviour.jsonObject === 'refuse') return 'response_format json_object';
  if (request.tools?.length && behaviour.tools === 'refuse') return 'tools';
  return undefined;
}

/** Whether the server ignores the request's response_format. */
function ignoredFormat(request: MockChatRequest, behaviour: MockBehaviour): boolean {
  const format = request.response_format?.type;
  return (
    (format === 'json_schema' && behaviour.jsonSchema === 'ignore') ||
    (format === 'json_object' && behaviour.jsonObject === 'ignore')
  );
}

/** Answers the given replies in order, then repeats the last one. */
export function sequence(...replies: MockReply[]): MockResponder {
  return function sequenceResponder(_request, index) {
    return replies[Math.min(index, replies.length - 1)];
  };
}

interface Answer {
  content: string;
  toolCall?: { name: string; arguments: string };
}

function structuredAnswer(request: MockChatRequest, json: string): Answer {
  const tool = request.tools?.[0]?.function.name;
  if (tool === undefined) return { content: json };
  const choice = request.tool_choice as { function?: { name?: string } } | undefined;
  return { content: '', toolCall: { name: choice?.function?.name ?? tool, arguments: json } };
}

function answerOf(request: MockChatRequest, reply: MockReply): Answer {
  if (typeof reply === 'string') return { content: reply };
  if ('text' in reply) return { content: reply.text };
  if ('json' in reply) return structuredAnswer(request, JSON.stringify(reply.json));
  if ('rawJson' in reply) return structuredAnswer(request, reply.rawJson);
  return { content: '' };
}

function usageOf(request: MockChatRequest, answer: Answer) {
  const prompt_tokens = tokens(promptText(request));
  const completion_tokens = tokens(answer.content + (answer.toolCall?.arguments ?? ''));
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function completionBody(request: MockChatRequest, answer: Answer, id: string, model: string) {
  const message: Record<string, unknown> = { role: 'assistant', content: answer.content };
  if (answer.toolCall) {
    message.content = null;
    message.tool_calls = [
      {
        id: `call_${id}`,
        type: 'function',
        function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments },
      },
    ];
  }
  return {
    id: `chatcmpl-${id}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: answer.toolCall ? 'tool_calls' : 'stop', logprobs: null }],
    usage: usageOf(request, answer),
  };
}

/** Splits text into a few pieces so a stream carries several deltas. */
function pieces(text: string, count = 3): string[] {
  if (text.length === 0) return [];
  const size = Math.ceil(text.length / count);
  const out: string[] = [];
  for (let start = 0; start < text.length; start += size) out.push(text.slice(start, start + size));
  return out;
}

function streamChunks(request: MockChatRequest, answer: Answer, id: string, model: string): object[] {
  const base = {
    id: `chatcmpl-${id}`,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
  };
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  const chunks: object[] = [chunk({ role: 'assistant', content: '' })];
  if (answer.toolCall) {
    const call = answer.toolCall;
    chunks.push(
      chunk({
        tool_calls: [
          { index: 0, id: `call_${id}`, type: 'function', function: { name: call.name, arguments: '' } },
        ],
      }),
    );
    for (const part of pieces(call.arguments))
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }));
  } else {
    for (const part of pieces(answer.content)) chunks.push(chunk({ content: part }));
  }
  chunks.push(chunk({}, answer.toolCall ? 'tool_calls' : 'stop'));
  if (request.stream_options?.include_usage)
    chunks.push({ ...base, choices: [], usage: usageOf(request, answer) });
  return chunks;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, retryAfter?: number | string): void {
  const headers: Record<string, string> =
    retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  const type = status === 429 ? 'rate_limit_exceeded' : 'server_error';
  sendJson(res, status, { error: { message: `mock error ${status}`, type, code: type } }, headers);
}

function sendAnswer(
  res: ServerResponse,
  request: MockChatRequest,
  answer: Answer,
  id: string,
  model: string,
  cut: boolean,
) {
  if (request.stream) {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const chunks = streamChunks(request, answer, id, model);
    const keep = cut ? Math.max(2, Math.floor(chunks.length / 2)) : chunks.length;
    for (const chunk of chunks.slice(0, keep)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    if (cut) {
      res.socket?.destroy();
      return;
    }
    res.end('data: [DONE]\n\n');
    return;
  }
  const text = JSON.stringify(completionBody(request, answer, id, model));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  if (cut) {
    res.write(text.slice(0, Math.floor(text.length / 2)));
    res.socket?.destroy();
    return;
  }
  res.end(text);
}

function sendRaw(
  res: ServerResponse,
  raw: {
    status?: number;
    headers?: Record<string, string>;
    body: string | Buffer;
    cutAfter?: number;
    stallAfter?: number;
  },
): void {
  const body = typeof raw.body === 'string' ? Buffer.from(raw.body) : raw.body;
  res.writeHead(raw.status ?? 200, {
    'content-type': 'application/json',
    'content-length': String(body.length),
    ...raw.headers,
  });
  if (raw.stallAfter !== undefined) {
    res.write(body.subarray(0, raw.stallAfter));
    return;
  }
  if (raw.cutAfter === undefined) {
    res.end(body);
    return;
  }
  res.write(body.subarray(0, raw.cutAfter));
  res.socket?.resetAndDestroy();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/**
 * Starts the mock server on 127.0.0.1 (ephemeral port).
 * @example
 *   const mock = await startMockOpenAI({ respond: scripted([{ role: 'verifier', reply: { json: verdicts } }]) });
 *   // ... point the client at mock.url ...
 *   await mock.close();
 */
export async function startMockOpenAI(options: MockOpenAIOptions = {}): Promise<MockOpenAI> {
  const respond: MockResponder = options.respond ?? (() => 'ok');
  const requests: MockChatRequest[] = [];
  const paths: string[] = [];
  const behaviour = options.behaviour ?? {};
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;

  async function handleCompletion(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let request: MockChatRequest;
    try {
      request = JSON.parse(await readBody(req)) as MockChatRequest;
    } catch {
      sendJson(res, 400, { error: { message: 'request body is not JSON', type: 'invalid_request_error' } });
      return;
    }
    const index = requests.length;
    requests.push(request);
    paths.push(req.url ?? '');
    const refusal = refusedPart(request, behaviour);
    if (refusal) {
      sendJson(res, 400, {
        error: { message: `${refusal} is not supported`, type: 'invalid_request_error' },
      });
      return;
    }
    const ignoresFormat = ignoredFormat(request, behaviour);
    if (behaviour.tools === 'ignore') {
      delete request.tools;
      delete request.tool_choice;
    }
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let done = false;
    const finish = () => {
      if (!done) inFlight -= 1;
      done = true;
    };
    res.on('close', finish);
    const latency =
      typeof options.latencyMs === 'function' ? options.latencyMs(request, index) : (options.latencyMs ?? 0);
    await delay(latency);
    const reply = await respond(request, index);
    if (res.destroyed) return;
    const id = String(index + 1);
    const model = options.model ?? request.model ?? 'mock-model';
    if (typeof reply === 'object' && 'hang' in reply) return;
    if (typeof reply === 'object' && 'status' in reply) return sendError(res, reply.status, reply.retryAfter);
    if (typeof reply === 'object' && 'http' in reply) return sendRaw(res, reply.http);
    if (typeof reply === 'object' && 'malformedJson' in reply) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "chatcmpl-broken", "choices": [ this is not json');
      return;
    }
    const cut = typeof reply === 'object' && 'truncatedStream' in reply;
    let answer = answerOf(
      request,
      cut ? { rawJson: '{"note": "this answer is cut short before its end"}' } : reply,
    );
    // A server that ignores response_format: the model follows the prompt's JSON instruction, in a code fence.
    if (ignoresFormat && !answer.toolCall && typeof reply === 'object' && 'json' in reply) {
      answer = { content: `\`\`\`json\n${answer.content}\n\`\`\`\n` };
    }
    sendAnswer(res, request, answer, id, model, cut);
  }

  const completionsPath = options.azure
    ? `/openai/deployments/${options.azure.deployment}/chat/completions`
    : '/v1/chat/completions';
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (options.azure && path === completionsPath && req.headers['api-key'] !== options.azure.apiKey) {
      sendJson(res, 401, {
        error: { message: 'Access denied: invalid api-key', type: 'invalid_request_error' },
      });
      return;
    }
    if (options.azure && path === completionsPath && !/[?&]api-version=/.test(req.url ?? '')) {
      sendJson(res, 404, { error: { message: 'api-version query parameter is missing', type: 'not_found' } });
      return;
    }
    if (req.method === 'POST' && path === completionsPath) {
      handleCompletion(req, res).catch(() => {
        if (!res.headersSent) sendError(res, 500);
        else res.destroy();
      });
      return;
    }
    sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'not_found' } });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: options.azure ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v1`,
    requests,
    paths,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
