import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { createLlmClient } from '../../../agents/llm/client.js';
import { LLM_ERROR_CODES, LlmError } from '../../../agents/llm/errors.js';
import { MemoryCallCache } from '../../../agents/llm/memory-cache.js';
import type { LlmMessage, StructuredMethod } from '../../../agents/llm/types.js';
import type { LlmCallRecord } from '../../../agents/types.js';
import {
  lastUserMessage,
  type MockOpenAI,
  type MockReply,
  type MockResponder,
  startMockOpenAI,
  sequence,
} from '../../support/mock-openai-server.js';
import { clientOptions, until } from './helpers.js';

const Answer = z.object({ drug: z.string().min(1), dose: z.number().int().positive() });
const GOOD = { drug: 'doxycycline', dose: 100 };
const MESSAGES: LlmMessage[] = [
  { role: 'system', content: 'argmed role: baseline\nAnswer the question.' },
  { role: 'user', content: 'Which drug?' },
];

let mock: MockOpenAI;
let respond: MockResponder = () => 'ok';

// A server per test: a request cancelled in one test cannot arrive late in the next.
beforeEach(async () => {
  mock = await startMockOpenAI({ respond: (request, index) => respond(request, index) });
});
afterEach(() => mock.close());

/** Runs `call`, returning the LlmError it throws (fails the test when it does not throw one). */
async function failure(call: Promise<unknown>): Promise<LlmError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(LlmError);
  return outcome as LlmError;
}

function structured(replies: MockReply[], overrides = {}) {
  respond = sequence(...replies);
  const calls: LlmCallRecord[] = [];
  const llm = createLlmClient(clientOptions(mock.url, overrides));
  const run = () =>
    llm.completeStructured(Answer, MESSAGES, {
      role: 'baseline',
      name: 'answer',
      recordCall: (c) => calls.push(c),
    });
  return { llm, calls, run };
}

describe('answers', () => {
  test('complete returns the text and records the usage the endpoint reports', async () => {
    respond = () => 'Doxycycline 100 mg twice daily.';
    const calls: LlmCallRecord[] = [];
    const llm = createLlmClient(clientOptions(mock.url));
    const result = await llm.complete(MESSAGES, { role: 'baseline', recordCall: (c) => calls.push(c) });
    expect(result.text).toBe('Doxycycline 100 mg twice daily.');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ role: 'baseline', model: 'mock-model', cached: false, attempts: 1 });
    expect(calls[0].promptHash).toMatch(/^[0-9a-f]{64}$/);
    // The mock counts 4 characters a token: the prompt is 60 characters, the answer 31.
    expect(calls[0].tokensIn).toBe(
      Math.ceil((MESSAGES[0].content.length + 1 + MESSAGES[1].content.length) / 4),
    );
    expect(calls[0].tokensOut).toBe(Math.ceil(31 / 4));
    expect(mock.requests[0].temperature).toBe(0);
  });

  const methods: Array<[StructuredMethod, boolean]> = [
    ['jsonSchema', false],
    ['functionCalling', false],
    ['jsonMode', false],
    ['jsonSchema', true],
    ['functionCalling', true],
  ];
  test.each(methods)(
    'structured output with %s (streaming %s) sends what that method needs',
    async (method, streaming) => {
      const { run, calls } = structured([{ json: GOOD }], { structuredMethod: method, streaming });
      const result = await run();
      expect(result.value).toEqual(GOOD);
      expect(calls[0].tokensOut).toBeGreaterThan(0);
      const request = mock.requests[0];
      expect(request.stream ?? false).toBe(streaming);
      if (method === 'jsonSchema') {
        expect(request.response_format?.type).toBe('json_schema');
        expect(request.response_format?.json_schema?.schema).toMatchObject({ required: ['drug', 'dose'] });
      } else if (method === 'functionCalling') {
        expect(request.tools?.[0].function.name).toBe('answer');
        expect(request.tool_choice).toEqual({ type: 'function', function: { name: 'answer' } });
      } else {
        expect(request.response_format?.type).toBe('json_object');
        // JSON mode sends no schema, so the prompt carries it.
        expect(String(request.messages[0].content)).toContain('"dose"');
      }
    },
  );
});

describe('faults', () => {
  test('429 with Retry-After: waits about that long, then succeeds', async () => {
    const { run, calls } = structured([{ status: 429, retryAfter: 1 }, { json: GOOD }]);
    const started = performance.now();
    const result = await run();
    const waited = performance.now() - started;
    expect(result.value).toEqual(GOOD);
    expect(waited).toBeGreaterThanOrEqual(1_000);
    expect(waited).toBeLessThan(2_500);
    expect(mock.requests).toHaveLength(2);
    expect(calls).toEqual([expect.objectContaining({ attempts: 2, cached: false })]);
    expect(calls[0].error).toBeUndefined();
  });

  test('429 asking for a wait past maxRetryAfterMs fails at once as rate limited', async () => {
    const { run, calls } = structured([{ status: 429, retryAfter: 60 }, { json: GOOD }]);
    const error = await failure(run());
    expect(error.code).toBe('ARGMED_LLM_RATE_LIMITED');
    expect(mock.requests).toHaveLength(1);
    expect(calls[0]).toMatchObject({ attempts: 1, error: 'ARGMED_LLM_RATE_LIMITED' });
  });

  test('503 with Retry-After: waits about that long too; one past maxRetryAfterMs fails at once', async () => {
    const { run } = structured([{ status: 503, retryAfter: 1 }, { json: GOOD }]);
    const started = performance.now();
    expect((await run()).value).toEqual(GOOD);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(mock.requests).toHaveLength(2);

    mock.requests.length = 0;
    const far = structured([{ status: 503, retryAfter: 60 }, { json: GOOD }]);
    expect((await failure(far.run())).code).toBe('ARGMED_LLM_UNAVAILABLE');
    expect(mock.requests).toHaveLength(1);
  });

  test('500 is retried with backoff until it succeeds', async () => {
    const { run, calls } = structured([{ status: 500 }, { status: 503 }, { json: GOOD }]);
    expect((await run()).value).toEqual(GOOD);
    expect(mock.requests).toHaveLength(3);
    expect(calls[0].attempts).toBe(3);
  });

  test('500 past maxRetries ends in ARGMED_LLM_UNAVAILABLE, recorded', async () => {
    const { run, calls } = structured([{ status: 500 }], { maxRetries: 2 });
    const error = await failure(run());
    expect(error.code).toBe('ARGMED_LLM_UNAVAILABLE');
    expect(mock.requests).toHaveLength(3);
    expect(calls).toEqual([expect.objectContaining({ attempts: 3, error: 'ARGMED_LLM_UNAVAILABLE' })]);
  });

  test('a hang times out and is retried', async () => {
    const { run, calls } = structured([{ hang: true }, { json: GOOD }], { timeoutMs: 1_000 });
    const started = performance.now();
    expect((await run()).value).toEqual(GOOD);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(calls[0].attempts).toBe(2);
  });

  test('a hang on every attempt ends in ARGMED_LLM_TIMEOUT without hanging the caller', async () => {
    const { run, calls } = structured([{ hang: true }], { timeoutMs: 250, maxRetries: 1 });
    const started = performance.now();
    const error = await failure(run());
    expect(error.code).toBe('ARGMED_LLM_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(mock.requests).toHaveLength(2);
    expect(calls[0]).toMatchObject({ attempts: 2, error: 'ARGMED_LLM_TIMEOUT' });
  });

  test('the caller can cancel a call in flight', async () => {
    respond = () => ({ hang: true });
    const llm = createLlmClient(clientOptions(mock.url));
    const controller = new AbortController();
    const pending = llm.complete(MESSAGES, { role: 'baseline', signal: controller.signal });
    await until(() => mock.inFlight === 1);
    controller.abort();
    expect((await failure(pending)).code).toBe('ARGMED_LLM_ABORTED');
  });

  test('a body that is not JSON is retried, then reported as ARGMED_LLM_BAD_RESPONSE', async () => {
    const retried = structured([{ malformedJson: true }, { json: GOOD }]);
    expect((await retried.run()).value).toEqual(GOOD);
    expect(retried.calls[0].attempts).toBe(2);

    mock.requests.length = 0;
    const broken = structured([{ malformedJson: true }], { maxRetries: 1 });
    expect((await failure(broken.run())).code).toBe('ARGMED_LLM_BAD_RESPONSE');
    expect(mock.requests).toHaveLength(2);
  });

  test.each([false, true])(
    'a truncated answer (streaming %s) is retried, then reported',
    async (streaming) => {
      const retried = structured([{ truncatedStream: true }, { json: GOOD }], { streaming });
      expect((await retried.run()).value).toEqual(GOOD);
      expect(retried.calls[0].attempts).toBe(2);

      mock.requests.length = 0;
      const cut = structured([{ truncatedStream: true }], { streaming, maxRetries: 1 });
      const error = await failure(cut.run());
      expect(['ARGMED_LLM_UNAVAILABLE', 'ARGMED_LLM_BAD_RESPONSE']).toContain(error.code);
      expect(cut.calls[0].error).toBe(error.code);
    },
  );
});

describe('invalid answers', () => {
  test.each<StructuredMethod>(['jsonSchema', 'functionCalling'])(
    'schema-violating JSON (%s): one repair retry carrying the validation error, then success',
    async (method) => {
      const { run, calls } = structured([{ json: { drug: 'doxycycline', dose: 'a lot' } }, { json: GOOD }], {
        structuredMethod: method,
      });
      const result = await run();
      expect(result.value).toEqual(GOOD);
      expect(mock.requests).toHaveLength(2);
      const repair = lastUserMessage(mock.requests[1]);
      expect(repair).toContain('rejected');
      expect(repair).toContain('dose');
      expect(repair).toContain('expected number');
      expect(calls.map((c) => c.error)).toEqual(['ARGMED_LLM_INVALID_OUTPUT', undefined]);
      expect(calls[0].promptHash).not.toBe(calls[1].promptHash);
      // The recorded error names the code only, never the answer.
      expect(JSON.stringify(calls)).not.toContain('a lot');
    },
  );

  test.each<StructuredMethod>(['jsonSchema', 'functionCalling', 'jsonMode'])(
    'schema-violating JSON twice (%s): exactly one repair, then ARGMED_LLM_INVALID_OUTPUT',
    async (method) => {
      const { run, calls } = structured([{ json: { drug: '' } }], { structuredMethod: method });
      const error = await failure(run());
      expect(error.code).toBe('ARGMED_LLM_INVALID_OUTPUT');
      expect(error.message).toContain('dose');
      expect(mock.requests).toHaveLength(2);
      expect(calls.map((c) => c.error)).toEqual(['ARGMED_LLM_INVALID_OUTPUT', 'ARGMED_LLM_INVALID_OUTPUT']);
    },
  );

  test.each<StructuredMethod>(['jsonSchema', 'functionCalling', 'jsonMode'])(
    'content that is not JSON (%s) gets the repair retry',
    async (method) => {
      const { run, calls } = structured([{ rawJson: '{"drug": "doxy' }, { json: GOOD }], {
        structuredMethod: method,
      });
      expect((await run()).value).toEqual(GOOD);
      expect(lastUserMessage(mock.requests[1])).toContain('not valid JSON');
      // The rejected answer was paid for: its tokens are recorded (the mock counts 4 characters a token).
      expect(calls[0]).toMatchObject({ error: 'ARGMED_LLM_INVALID_OUTPUT', tokensOut: Math.ceil(14 / 4) });
    },
  );

  test('an empty structured answer gets the repair retry, then fails as empty', async () => {
    const fixed = structured([{ empty: true }, { json: GOOD }]);
    expect((await fixed.run()).value).toEqual(GOOD);
    expect(lastUserMessage(mock.requests[1])).toContain('empty');

    mock.requests.length = 0;
    const empty = structured([{ empty: true }]);
    expect((await failure(empty.run())).code).toBe('ARGMED_LLM_EMPTY_OUTPUT');
    expect(mock.requests).toHaveLength(2);
  });

  test('an empty text answer is a recorded ARGMED_LLM_EMPTY_OUTPUT', async () => {
    respond = () => ({ empty: true });
    const calls: LlmCallRecord[] = [];
    const llm = createLlmClient(clientOptions(mock.url));
    const error = await failure(
      llm.complete(MESSAGES, { role: 'evaluator', recordCall: (c) => calls.push(c) }),
    );
    expect(error.code).toBe('ARGMED_LLM_EMPTY_OUTPUT');
    expect(calls).toEqual([expect.objectContaining({ role: 'evaluator', error: 'ARGMED_LLM_EMPTY_OUTPUT' })]);
  });
});

describe('cache and concurrency', () => {
  test('an identical call is served from the cache without a request', async () => {
    const cache = new MemoryCallCache();
    const { run, calls } = structured([{ json: GOOD }], { cache });
    const first = await run();
    const second = await run();
    expect(second.value).toEqual(first.value);
    expect(mock.requests).toHaveLength(1);
    expect(calls.map((c) => c.cached)).toEqual([false, true]);
    expect(calls[1]).toMatchObject({ tokensIn: 0, tokensOut: 0, promptHash: calls[0].promptHash });
    expect(cache.record(calls[0].promptHash)?.tokensOut).toBeGreaterThan(0);
  });

  test('another model, temperature, sample or prompt is not served from the cache', async () => {
    const cache = new MemoryCallCache();
    respond = () => 'answer';
    const llm = createLlmClient(clientOptions(mock.url, { cache }));
    const other = createLlmClient(clientOptions(mock.url, { cache, model: 'other-model' }));
    await llm.complete(MESSAGES, { role: 'baseline' });
    await llm.complete(MESSAGES, { role: 'baseline', temperature: 0.7 });
    await llm.complete(MESSAGES, { role: 'baseline', sample: 1 });
    await llm.complete([...MESSAGES, { role: 'user', content: 'And the dose?' }], { role: 'baseline' });
    await other.complete(MESSAGES, { role: 'baseline' });
    await llm.complete(MESSAGES, { role: 'baseline' });
    expect(mock.requests).toHaveLength(5);
    expect(mock.requests[1].temperature).toBe(0.7);
  });

  test('textCallKey is the key complete caches under, and differs with the temperature or sample', async () => {
    const cache = new MemoryCallCache();
    respond = () => 'answer';
    const llm = createLlmClient(clientOptions(mock.url, { cache }));
    const calls: LlmCallRecord[] = [];
    await llm.complete(MESSAGES, { role: 'baseline', recordCall: (c) => calls.push(c) });
    await llm.complete(MESSAGES, { role: 'baseline', temperature: 0.7, sample: 2, recordCall: (c) => calls.push(c) });
    expect(calls.map((c) => c.promptHash)).toEqual([
      llm.textCallKey(MESSAGES, {}),
      llm.textCallKey(MESSAGES, { temperature: 0.7, sample: 2 }),
    ]);
    expect(llm.textCallKey(MESSAGES, { temperature: 0 })).toBe(calls[0].promptHash);
    expect(llm.textCallKey(MESSAGES, { sample: 1 })).not.toBe(calls[0].promptHash);
    expect(await cache.get(llm.textCallKey(MESSAGES, {}))).toBe('answer');
  });

  test('invalid answers are not cached', async () => {
    const cache = new MemoryCallCache();
    const { run } = structured([{ json: { drug: '' } }], { cache });
    await failure(run());
    expect(cache.size).toBe(0);
  });

  test.each([2, 5])('no more than concurrency=%i requests are in flight', async (limit) => {
    // Each answer waits until the limit has been reached once (or 3 s), so a slow machine cannot make the
    // requests overlap less than the client allows.
    const slow: MockOpenAI = await startMockOpenAI({
      respond: async () => {
        await until(() => slow.maxInFlight >= limit, 3_000);
        return 'slow answer';
      },
      latencyMs: 20,
    });
    try {
      const llm = createLlmClient(clientOptions(slow.url, { concurrency: limit }));
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          llm.complete([{ role: 'user', content: `question ${i}` }], { role: 'baseline' }),
        ),
      );
      expect(results.every((r) => r.text === 'slow answer')).toBe(true);
      expect(slow.requests).toHaveLength(8);
      expect(slow.maxInFlight).toBe(limit);
    } finally {
      await slow.close();
    }
  });
  test('a call cancelled while it waits for a slot leaves at once and is never sent', async () => {
    let answerFirst = () => {};
    const held = new Promise<void>((resolve) => {
      answerFirst = resolve;
    });
    respond = async (request) => {
      if (lastUserMessage(request) === 'first') await held;
      return `answer to ${lastUserMessage(request)}`;
    };
    const llm = createLlmClient(clientOptions(mock.url, { concurrency: 1 }));
    const first = llm.complete([{ role: 'user', content: 'first' }], { role: 'baseline' });
    await until(() => mock.requests.length === 1, 3_000);
    const controller = new AbortController();
    const cancelled = llm.complete([{ role: 'user', content: 'cancelled' }], {
      role: 'baseline',
      signal: controller.signal,
    });
    const third = llm.complete([{ role: 'user', content: 'third' }], { role: 'baseline' });
    // A macrotask later both calls have passed the cache lookup and wait for the slot.
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(new Error('gone'));
    expect((await failure(cancelled)).code).toBe('ARGMED_LLM_ABORTED');
    expect(mock.requests).toHaveLength(1);
    answerFirst();
    expect((await first).text).toBe('answer to first');
    expect((await third).text).toBe('answer to third');
    expect(mock.requests.map(lastUserMessage)).toEqual(['first', 'third']);
  });
});

test('LANGCHAIN_VERBOSE and LANGSMITH_TRACING do not make LangChain print or upload prompts', async () => {
  const printed: string[] = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  }
  const previous = { verbose: process.env.LANGCHAIN_VERBOSE, tracing: process.env.LANGSMITH_TRACING };
  process.env.LANGCHAIN_VERBOSE = 'true';
  process.env.LANGSMITH_TRACING = 'true';
  const uploads: string[] = [];
  const realFetch = globalThis.fetch;
  // The tracer would upload through fetch to LangSmith; the mock server is the only host allowed.
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.startsWith(mock.url)) uploads.push(url);
    return realFetch(input, init);
  });
  try {
    respond = sequence({ json: GOOD });
    const llm = createLlmClient(clientOptions(mock.url));
    await llm.complete([{ role: 'user', content: 'secret-case-text' }], { role: 'baseline' });
    await llm.completeStructured(Answer, [{ role: 'user', content: 'secret-case-text' }], {
      role: 'baseline',
      name: 'answer',
    });
    expect(mock.requests).toHaveLength(2);
    expect(printed.join('\n')).not.toMatch(/secret-case-text|doxycycline/);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the tracer batches its uploads
    expect(uploads).toEqual([]);
  } finally {
    for (const [name, value] of [
      ['LANGCHAIN_VERBOSE', previous.verbose],
      ['LANGSMITH_TRACING', previous.tracing],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    vi.restoreAllMocks();
  }
});

test('settings that cannot work are refused with ARGMED_LLM_CONFIG', async () => {
  expect(() => createLlmClient(clientOptions(mock.url, { concurrency: 0 }))).toThrow(
    expect.objectContaining({ code: 'ARGMED_LLM_CONFIG' }),
  );
  const llm = createLlmClient(clientOptions(mock.url));
  const badName = llm.completeStructured(Answer, MESSAGES, { role: 'baseline', name: 'my answer' });
  expect((await failure(badName)).code).toBe('ARGMED_LLM_CONFIG');
  // JSON Schema output is not available for gpt-4 in LangChain: a configuration error, not a crash.
  const old = createLlmClient(clientOptions(mock.url, { model: 'gpt-4' }));
  const calls: LlmCallRecord[] = [];
  const refused = old.completeStructured(Answer, MESSAGES, {
    role: 'baseline',
    name: 'answer',
    recordCall: (c) => calls.push(c),
  });
  expect((await failure(refused)).code).toBe('ARGMED_LLM_CONFIG');
  expect(calls).toEqual([expect.objectContaining({ error: 'ARGMED_LLM_CONFIG' })]);
  expect(mock.requests).toHaveLength(0);
});

test('every error code is documented in agents/llm/README.md', async () => {
  const readme = await readFile(new URL('../../../agents/llm/README.md', import.meta.url), 'utf8');
  for (const code of Object.keys(LLM_ERROR_CODES))
    expect(readme).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
});
