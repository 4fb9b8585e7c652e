/**
 * "A model endpoint that fails only some calls": a scripted good model for a two-option case, a table of
 * faults an OpenAI-compatible endpoint (or a proxy in front of it) really produces, and a responder that
 * serves a fault on the Nth request or on a seeded random share of requests, recording which request got what.
 * Shared by the engine-level and the HTTP-level partial-fault tests.
 *
 * The good model is two-drug-model.ts (a is decided, b defeated by its side effect). Faults that carry an answer carry a *tainted* one: the verifier's "yes" challenges
 * turned to "no" (b then survives its side effect) and every generated text marked `tainted`, so a fault that
 * was accepted shows up in the outcome and in the graph, not only in the request log.
 */
import { gzipSync } from 'node:zlib';
import { prng } from '../../src/eval/datasets/slice-items.js';
import {
  type MockChatRequest,
  type MockReply,
  type MockResponder,
  promptText,
  roleOf,
} from './mock-openai-server.js';
import { goodAnswer } from './two-drug-model.js';

/** Marks every text a tainted answer generated. */
export const TAINT = 'tainted';

/** The good answer with every challenge that succeeded turned to "no" and every string marked tainted. */
export function tainted(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (key === 'challenge') return value === 'yes' ? 'no' : value;
    if (['option', 'answer', 'better', 'worse', 'facts'].includes(key)) return value;
    return `${value} (${TAINT})`;
  }
  if (Array.isArray(value)) return value.map((item) => tainted(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tainted(v, k)]));
  }
  return value;
}

/** Whether the request asked for a forced tool call (`functionCalling`). */
function wantsTool(request: MockChatRequest): boolean {
  return (request.tools?.length ?? 0) > 0;
}

interface CompletionParts {
  content?: string | null;
  toolCall?: { name: string; arguments: string };
  finishReason?: string;
  refusal?: string;
  choices?: unknown[];
}

/** A chat completion body with the given message parts (what a real endpoint sends, field for field). */
export function completionBody(parts: CompletionParts): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: parts.content ?? null };
  if (parts.refusal !== undefined) message.refusal = parts.refusal;
  if (parts.toolCall) {
    message.tool_calls = [
      {
        id: 'call_1',
        type: 'function',
        function: { name: parts.toolCall.name, arguments: parts.toolCall.arguments },
      },
    ];
  }
  const finish = parts.finishReason ?? (parts.toolCall ? 'tool_calls' : 'stop');
  return {
    id: 'chatcmpl-fault',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'mock-model',
    choices: parts.choices ?? [{ index: 0, message, finish_reason: finish, logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

/** A completion carrying `json` (text) where the request wants it: a tool call or the content. */
function structured(request: MockChatRequest, json: string, finishReason?: string): MockReply {
  const name = request.tools?.[0]?.function.name ?? 'answer';
  const parts: CompletionParts = wantsTool(request)
    ? { toolCall: { name, arguments: json }, ...(finishReason ? { finishReason } : {}) }
    : { content: json, ...(finishReason ? { finishReason } : {}) };
  return { http: { body: JSON.stringify(completionBody(parts)) } };
}

/** Verdicts written with every question id twice: the real one first, then the tainted one (JSON.parse keeps the last). */
function duplicatedIds(good: unknown): string | undefined {
  const verdicts = (good as { verdicts?: Record<string, unknown> }).verdicts;
  if (!verdicts) return undefined;
  const bad = (tainted(good) as { verdicts: Record<string, unknown> }).verdicts;
  const entries = Object.keys(verdicts).flatMap((id) => [
    `${JSON.stringify(id)}:${JSON.stringify(verdicts[id])}`,
    `${JSON.stringify(id)}:${JSON.stringify(bad[id])}`,
  ]);
  return `{"verdicts":{${entries.join(',')}}}`;
}

/** Capitalises the verifier's challenge answers ("No" for "no"), tainted. */
function capitalised(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return key === 'challenge' ? value[0].toUpperCase() + value.slice(1) : value;
  if (Array.isArray(value)) return value.map((item) => capitalised(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, capitalised(v, k)]));
  }
  return value;
}

/** Replaces every option id of the answer with `z`, which is not a candidate of the case. */
function foreignOption(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return key === 'option' || key === 'better' ? 'z' : value;
  if (Array.isArray(value)) return value.map((item) => foreignOption(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, foreignOption(v, k)]));
  }
  return value;
}

function sse(content: string): string {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return chunk({ role: 'assistant', content }, null) + chunk({}, 'stop') + 'data: [DONE]\n\n';
}

/**
 * One fault. `reply` gets the request and the good answer (undefined for a role the good model does not play)
 * and returns what the endpoint sends instead.
 * `benign`: the fault only wraps the good answer in a form argmed accepts (a code fence, gzip), so the case must
 * end exactly as without it. Every other fault must never be accepted: the case recovers through a retry or a
 * repair, or abstains naming the failure.
 * `retryAfterMs`: a fault that makes the client wait this long (the tests keep those rows few).
 */
export interface Fault {
  name: string;
  reply: (request: MockChatRequest, good: unknown) => MockReply;
  benign?: boolean;
  /** Whether a case hit by it once (the Nth request) still reaches the fault-free outcome: a retry or a repair fixes it. */
  recovers: boolean;
  /** The LlmError code the case's failures name when it does not recover. */
  code: string;
  /** The roles whose answers it can spoil (default: all); other requests get the good answer. */
  roles?: string[];
  /** A fault of the HTTP exchange, before any answer is read: the structured-output method makes no difference. */
  transport?: boolean;
}

const json = (value: unknown) => JSON.stringify(value);

export const FAULTS: Fault[] = [
  {
    name: 'HTTP 500',
    reply: () => ({ status: 500 }),
    recovers: true,
    code: 'ARGMED_LLM_UNAVAILABLE',
    transport: true,
  },
  {
    name: 'HTTP 503',
    reply: () => ({ status: 503 }),
    recovers: true,
    code: 'ARGMED_LLM_UNAVAILABLE',
    transport: true,
  },
  {
    name: '429 without Retry-After',
    reply: () => ({ status: 429 }),
    recovers: true,
    code: 'ARGMED_LLM_RATE_LIMITED',
    transport: true,
  },
  {
    name: '429 Retry-After 1 (seconds)',
    reply: () => ({ status: 429, retryAfter: 1 }),
    recovers: true,
    code: 'ARGMED_LLM_RATE_LIMITED',
    transport: true,
  },
  {
    name: '429 Retry-After as an HTTP date',
    reply: () => ({ status: 429, retryAfter: new Date(Date.now() + 1_000).toUTCString() }),
    recovers: true,
    code: 'ARGMED_LLM_RATE_LIMITED',
    transport: true,
  },
  {
    name: '429 Retry-After 99999 (absurd)',
    reply: () => ({ status: 429, retryAfter: 99_999 }),
    recovers: false,
    code: 'ARGMED_LLM_RATE_LIMITED',
    transport: true,
  },
  {
    name: 'connection reset mid-body',
    reply: (_request, good) => {
      const body = json(completionBody({ content: json(good ?? {}) }));
      return { http: { body, cutAfter: Math.floor(body.length / 2) } };
    },
    recovers: true,
    code: 'ARGMED_LLM_UNAVAILABLE',
    transport: true,
  },
  {
    name: 'never ends (hang until timeout)',
    reply: () => ({ hang: true }),
    recovers: true,
    code: 'ARGMED_LLM_TIMEOUT',
    transport: true,
  },
  {
    name: 'body that never ends (headers, half the body, then nothing)',
    reply: (_request, good) => {
      const body = json(completionBody({ content: json(good ?? {}) }));
      return { http: { body, stallAfter: Math.floor(body.length / 2) } };
    },
    recovers: true,
    code: 'ARGMED_LLM_TIMEOUT',
    transport: true,
  },
  {
    name: 'event stream that never ends, to a non-streaming request',
    reply: (_request, good) => ({
      http: {
        headers: { 'content-type': 'text/event-stream' },
        body: sse(json(tainted(good ?? {}))),
        stallAfter: 40,
      },
    }),
    recovers: true,
    code: 'ARGMED_LLM_TIMEOUT',
    transport: true,
  },
  {
    name: 'valid JSON, not a chat completion',
    reply: () => ({ http: { body: json({ object: 'list', data: [], detail: 'ok' }) } }),
    recovers: true,
    code: 'ARGMED_LLM_BAD_RESPONSE',
    transport: true,
  },
  {
    name: 'completion with empty choices',
    reply: () => ({ http: { body: json(completionBody({ choices: [] })) } }),
    recovers: true,
    code: 'ARGMED_LLM_BAD_RESPONSE',
    transport: true,
  },
  {
    name: 'finish_reason length, JSON cut',
    reply: (request, good) => {
      const text = json(tainted(good ?? {}));
      return structured(request, text.slice(0, Math.floor(text.length / 2)), 'length');
    },
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
  },
  {
    name: 'finish_reason length, JSON complete',
    reply: (request, good) => structured(request, json(tainted(good ?? {})), 'length'),
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
  },
  {
    name: 'finish_reason content_filter',
    reply: (request, good) => structured(request, json(tainted(good ?? {})), 'content_filter'),
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
  },
  {
    name: 'markdown fence around the JSON',
    reply: (request, good) =>
      wantsTool(request)
        ? goodReplyOf(good)
        : { http: { body: json(completionBody({ content: '```json\n' + json(good ?? {}) + '\n```' })) } },
    benign: true,
    recovers: true,
    code: '',
  },
  {
    name: 'extra keys',
    reply: (request, good) =>
      structured(request, json({ ...(tainted(good ?? {}) as object), confidence: 0.2, note: 'extra' })),
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
  },
  {
    name: 'wrong enum casing ("No" for "no")',
    reply: (request, good) => structured(request, json(capitalised(tainted(good ?? {})))),
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
    roles: ['verifier'],
  },
  {
    name: 'verdicts for questions not asked',
    reply: (request, good) => {
      const bad = tainted(good ?? {}) as { verdicts?: Record<string, unknown> };
      const verdicts = bad.verdicts
        ? { verdicts: { ...bad.verdicts, 'not-asked': { reason: 'made up', challenge: 'yes' } } }
        : bad;
      return structured(request, json(verdicts));
    },
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
    roles: ['verifier'],
  },
  {
    name: 'duplicated question ids',
    reply: (request, good) => structured(request, duplicatedIds(good ?? {}) ?? json(tainted(good ?? {}))),
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
    roles: ['verifier'],
  },
  {
    name: 'option ids not in the case',
    reply: (request, good) => structured(request, json(foreignOption(tainted(good ?? {})))),
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
    // The counter-schemes of this case (side effects) name no option: only the proposal can carry one.
    roles: ['generator-propose'],
  },
  {
    name: 'refusal as text',
    reply: () => ({ http: { body: json(completionBody({ content: 'I cannot help with that.' })) } }),
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
  },
  {
    name: 'refusal field (OpenAI structured outputs)',
    reply: () => ({
      http: { body: json(completionBody({ content: null, refusal: 'I cannot help with that.' })) },
    }),
    recovers: true,
    code: 'ARGMED_LLM_EMPTY_OUTPUT',
  },
  {
    name: 'tool call not asked for (json_schema asked) / of another function',
    reply: (_request, good) =>
      ({
        http: {
          body: json(
            completionBody({ toolCall: { name: 'some_other_tool', arguments: json(tainted(good ?? {})) } }),
          ),
        },
      }) satisfies MockReply,
    recovers: true,
    code: 'ARGMED_LLM_INVALID_OUTPUT',
  },
  {
    name: 'server-sent events to a non-streaming request',
    reply: (_request, good) => ({
      http: { headers: { 'content-type': 'text/event-stream' }, body: sse(json(tainted(good ?? {}))) },
    }),
    recovers: true,
    code: 'ARGMED_LLM_BAD_RESPONSE',
  },
  {
    name: 'gzip-encoded body',
    reply: (request, good) => {
      const body = good === undefined ? completionBody({ content: '' }) : goodCompletion(request, good);
      return { http: { headers: { 'content-encoding': 'gzip' }, body: gzipSync(json(body)) } };
    },
    benign: true,
    recovers: true,
    code: '',
  },
];

function goodReplyOf(good: unknown): MockReply {
  return good === undefined ? { status: 500 } : { json: good };
}

/** The good answer as a completion body (a tool call when the request forces one). */
function goodCompletion(request: MockChatRequest, good: unknown): Record<string, unknown> {
  const name = request.tools?.[0]?.function.name;
  return name
    ? completionBody({ toolCall: { name, arguments: json(good) } })
    : completionBody({ content: json(good) });
}

/** Which requests get the fault: the first of a role, or each with a probability, from a seed. */
export type Selection = { first: string } | { share: number; seed: number };

/** The roles of the dialogue whose calls a fault can hit, in the order of a case. */
export const ROLES = ['generator-propose', 'verifier', 'generator-counter'];

/**
 * Where the tests put a fault: on the first call of each role it applies to (one faulty request, which a retry or
 * the repair call must get past), on every call it applies to (a persistent fault, which must end in an
 * abstention unless it is benign), and on a random 30 % of requests under three seeds.
 */
export function selectionsFor(fault: Fault): Array<[string, Selection]> {
  const roles = ROLES.filter((role) => fault.roles === undefined || fault.roles.includes(role));
  return [
    ...roles.map((role): [string, Selection] => [`the first ${role} call`, { first: role }]),
    ['every call it applies to', { share: 1, seed: 1 }],
    ...[19, 20, 21].map((seed): [string, Selection] => [
      `a random 30 % (seed ${seed})`,
      { share: 0.3, seed },
    ]),
  ];
}

/** What one request got: its role, the argument it was about (verifier), and the fault or `good`. */
export interface Served {
  role: string | undefined;
  argument: string | undefined;
  served: string;
}

/**
 * A responder serving `fault` on the selected requests and the good model otherwise; `log` receives what every
 * request got, in order.
 */
export function partlyFaulty(fault: Fault, selection: Selection, log: Served[]): MockResponder {
  const random = 'seed' in selection ? prng(selection.seed) : undefined;
  const seen = new Map<string | undefined, number>();
  return function partlyFaultyResponder(request) {
    const role = roleOf(request);
    const count = seen.get(role) ?? 0;
    seen.set(role, count + 1);
    const applies = fault.roles === undefined || (role !== undefined && fault.roles.includes(role));
    const drawn = applies && random ? random() < (selection as { share: number }).share : false;
    const hit = applies && (random ? drawn : (selection as { first: string }).first === role && count === 0);
    const argument = /<argument id="([^"]+)"/.exec(promptText(request))?.[1];
    const good = goodAnswer(request);
    log.push({
      role,
      argument: role === 'verifier' ? argument : undefined,
      served: hit ? fault.name : 'good',
    });
    if (!hit) return goodReplyOf(good);
    return fault.reply(request, good);
  };
}

/**
 * The arguments whose last verifier answer was a fault that must not be accepted: none of them may justify a
 * decision.
 */
export function verifiedOnlyByFaults(log: Served[], fault: Fault): Set<string> {
  const last = new Map<string, string>();
  for (const entry of log) if (entry.argument) last.set(entry.argument, entry.served);
  const out = new Set<string>();
  if (fault.benign) return out;
  for (const [argument, served] of last) if (served !== 'good') out.add(argument);
  return out;
}
