/**
 * The openai back-end inside a whole deliberation (engine + real scheme files) against the mock server:
 * scripted answers end in the expected decision, and every model call is in the result's call log; answers
 * that are "unknown" or do not fit are typed abstentions, never decisions.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createOpenAIBackend } from '../../../agents/llm/backend.js';
import { MemoryCallCache } from '../../../agents/llm/memory-cache.js';
import { loadSchemes } from '../../../schemes/load.js';
import { deliberate } from '../../../src/engine/deliberate.js';
import {
  type MockChatRequest,
  type MockOpenAI,
  type MockReply,
  requestedSchema,
  roleOf,
  sampleFromSchema,
  scripted,
  startMockOpenAI,
} from '../../support/mock-openai-server.js';
import { clientOptions, KASE } from './helpers.js';

let mock: MockOpenAI;

/** The verifier fails amoxicillin (option A) on side effects; every other question passes. */
const respond = scripted([
  {
    role: 'verifier',
    content: 'scheme="ASDM" option="A"',
    reply: (request) => ({
      json: sampleFromSchema(requestedSchema(request), {
        choose: (path, values) => (path.join('.') === 'verdicts.side-effects.challenge' ? 'yes' : values[0]),
      }),
    }),
  },
  { reply: (request) => ({ json: sampleFromSchema(requestedSchema(request)) }) },
]);

beforeAll(async () => {
  mock = await startMockOpenAI({ respond });
});
afterAll(() => mock.close());

test('a side effect defeats option A, so B is decided; the call log has every call', async () => {
  const schemes = await loadSchemes();
  const cache = new MemoryCallCache();
  const backend = createOpenAIBackend({ llm: clientOptions(mock.url), schemes, cache });
  const result = await deliberate(KASE, { backend, schemes });

  expect(result.failures).toEqual([]);
  expect(result.status).toBe('decided');
  expect(result.decision?.option).toBe('B');
  const rejected = result.rejected.find((r) => r.option === 'A');
  expect(rejected?.defeaters.map((id) => result.graph.nodes.find((n) => n.id === id)?.scheme)).toEqual([
    'ASSE',
  ]);
  // propose, verify A and B, counter for A's failed question, verify the counter-argument.
  expect(result.calls.map((c) => c.role)).toEqual([
    'generator',
    'verifier',
    'verifier',
    'generator',
    'verifier',
  ]);
  expect(mock.requests).toHaveLength(5);
  expect(result.calls.every((c) => c.tokensIn > 0 && !c.cached)).toBe(true);

  // The same case again: every call is served from the cache.
  const again = await deliberate(KASE, { backend, schemes });
  expect(again.decision?.option).toBe('B');
  expect(mock.requests).toHaveLength(5);
  expect(again.calls.every((c) => c.cached)).toBe(true);
});

/**
 * A mock that answers some calls well and others badly: the verifier of option B answers with a schema-invalid
 * verdict every time (so B is never verified), and the one of A's counter-argument answers "unknown" to one
 * challenge. Nothing unverified may decide the case.
 */
test('badly answered verifications and unknown answers abstain, typed, instead of deciding', async () => {
  const bad = scripted([
    {
      role: 'verifier',
      content: 'scheme="ASDM" option="B"',
      reply: () => ({ json: { verdicts: { 'facts-hold': { reason: 'ok', challenge: 'maybe' } } } }),
    },
    {
      role: 'verifier',
      content: 'scheme="ASDM" option="A"',
      reply: (request) => ({
        json: sampleFromSchema(requestedSchema(request), {
          choose: (path, values) =>
            path.join('.') === 'verdicts.side-effects.challenge' ? 'yes' : values[0],
        }),
      }),
    },
    {
      role: 'verifier',
      content: 'scheme="ASSE"',
      reply: (request) => ({
        json: sampleFromSchema(requestedSchema(request), {
          choose: (path, values) =>
            path.join('.') === 'verdicts.mitigation.challenge' ? 'unknown' : values[0],
        }),
      }),
    },
    { reply: (request) => ({ json: sampleFromSchema(requestedSchema(request)) }) },
  ]);
  const server = await startMockOpenAI({ respond: bad });
  try {
    const schemes = await loadSchemes();
    const backend = createOpenAIBackend({ llm: clientOptions(server.url), schemes });
    const result = await deliberate(KASE, { backend, schemes });
    expect(result.status).toBe('incomplete');
    expect(result.decision).toBeUndefined();
    const causes = result.openQuestions?.map((q) => q.cause).sort();
    expect(causes).toEqual(['not-verified', 'unknown']);
    expect(result.pending?.map((p) => p.option).sort()).toEqual(['A', 'B']);
    expect(result.failures.some((f) => f.stage === 'verify')).toBe(true);
    // The verifier prompt states the challenges with the argument's values and shows the answer's keys.
    const verify = server.requests.find((r) =>
      String(r.messages[0]?.content).includes('argmed role: verifier'),
    );
    const [system, user] = (verify?.messages ?? []).map((m) => String(m.content));
    expect(system).toContain('"challenge"');
    expect(system).toMatch(/\{"verdicts":\{"facts-hold":\{"reason":/);
    expect(user).toMatch(/<challenge id="side-effects"/);
    expect(user).not.toMatch(/\{D\}|\{G\}|\{F\}/);
  } finally {
    await server.close();
  }
});

/** A reply of the mock, well formed (sampled from the schema asked for), with the enum values given by path. */
function sampled(choose: Record<string, unknown>) {
  const pick = (path: string[], values: unknown[]) => {
    const at = path.join('.');
    if (at in choose) return choose[at];
    // As the mock's own default: a comparison's worse option differs from its better one.
    return path.at(-1) === 'worse' ? (values[1] ?? values[0]) : values[0];
  };
  return (request: MockChatRequest): MockReply => ({
    json: sampleFromSchema(requestedSchema(request), { choose: pick }),
  });
}

/** An answer that does not fit the schema it asks for, every time (the repair retry fails too). */
const invalid: MockReply = { json: { reason: 'I think so.', answer: 'perhaps' } };

/**
 * The generator roles against a mock that answers them well, with "unknown", or badly: a counter-argument
 * and a comparison that the model could not write are typed apart (an open question, `insufficient-knowledge`)
 * from answers that never came right (`incomplete`), and neither becomes a decision; a well-answered dialogue
 * decides. Every generator prompt the mock received shows its keys and a worked example.
 */
describe.each([
  ['well', sampled({}), 'decided'],
  ['with "unknown"', sampled({ answer: 'unknown' }), 'insufficient-knowledge'],
  ['badly', () => invalid, 'incomplete'],
] as const)('the generator roles answered %s', (_how, reply, status) => {
  test(`a counter-argument answered so leaves the case ${status}`, async () => {
    const server = await startMockOpenAI({
      respond: scripted([
        { role: 'generator-counter', reply },
        {
          role: 'verifier',
          content: 'scheme="ASDM" option="A"',
          reply: sampled({ 'verdicts.side-effects.challenge': 'yes' }),
        },
        { reply: sampled({}) },
      ]),
    });
    try {
      const schemes = await loadSchemes();
      const backend = createOpenAIBackend({ llm: clientOptions(server.url), schemes });
      const result = await deliberate(KASE, { backend, schemes });
      expect(result.status).toBe(status);
      if (status === 'decided') expect(result.decision?.option).toBe('B');
      else {
        expect(result.decision).toBeUndefined();
        const cause = status === 'incomplete' ? 'counter-failed' : 'no-counter';
        expect(result.openQuestions).toEqual([expect.objectContaining({ cause, question: 'side-effects' })]);
      }
      expectWorkedExamples(server.requests, ['generator-propose', 'generator-counter']);
    } finally {
      await server.close();
    }
  });

  test(`a comparison of tied options answered so leaves the case ${status}`, async () => {
    const server = await startMockOpenAI({
      respond: scripted([{ role: 'comparer', reply }, { reply: sampled({}) }]),
    });
    try {
      const schemes = await loadSchemes();
      const backend = createOpenAIBackend({ llm: clientOptions(server.url), schemes });
      const result = await deliberate(KASE, { backend, schemes });
      expect(result.status).toBe(status);
      expect(result.usage.agentCalls?.compare).toBe(1);
      if (status === 'decided') expect(result.decision?.option).toBe('A');
      else {
        const cause = status === 'incomplete' ? 'not-verified' : 'unknown';
        expect(result.openQuestions?.map((q) => [q.question, q.cause])).toEqual([
          ['better-decision', cause],
          ['better-decision', cause],
        ]);
      }
      expectWorkedExamples(server.requests, ['generator-propose', 'comparer']);
    } finally {
      await server.close();
    }
  });
});

/** Each role's system prompt lists the answer's keys (reason first) and a worked example in its text. */
function expectWorkedExamples(requests: MockChatRequest[], roles: string[]): void {
  for (const role of roles) {
    const request = requests.find((r) => roleOf(r) === role);
    const system = String(request?.messages[0]?.content);
    expect(system, role).toContain('Example of a complete answer, about another patient');
    expect(system, role).toMatch(/- "reason": first/);
    expect(system, role).toMatch(/^\{"(arguments|reason)":/m);
  }
}
