/**
 * The engine on the `openai` back-end against an endpoint that fails only some calls (test/support/partial-faults.ts):
 * every fault of the table on the first call of each role, on every call it applies to and on a seeded random 30 %
 * of requests, with jsonSchema, functionCalling and jsonMode (faults of the HTTP exchange under the first only).
 * For each run: no decision is justified by an argument whose last verifier answer was a fault (or by anything a
 * tainted answer wrote), the case ends decided as the good model decides or with a typed abstention whose failures
 * name the fault, nothing throws or outlives the deadline, and the requests the endpoint received stay within the
 * retry and repair limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSchema } from '../../agents/case.js';
import { createOpenAIBackend, type StructuredMethod } from '../../agents/llm/index.js';
import { loadSchemes } from '../../schemes/load.js';
import { deliberate } from '../../src/engine/deliberate.js';
import type { DeliberationResult } from '../../src/engine/types.js';
import { type MockOpenAI, type MockResponder, startMockOpenAI } from '../support/mock-openai-server.js';
import {
  FAULTS,
  type Fault,
  partlyFaulty,
  selectionsFor,
  type Served,
  TAINT,
  verifiedOnlyByFaults,
} from '../support/partial-faults.js';

const FACTS = [
  { id: 'f1', text: 'Adult with condition X.' },
  { id: 'f2', text: 'Known intolerance that drug B worsens.' },
];
const kase = CaseSchema.parse({
  title: 'Two drugs, one with a side effect for this patient',
  facts: FACTS,
  question: 'Which drug should be started?',
  options: [
    { id: 'a', text: 'Drug A' },
    { id: 'b', text: 'Drug B' },
  ],
});

const MAX_RETRIES = 2;
const TIMEOUT_MS = 400;
const DEADLINE_MS = 20_000;
const schemes = await loadSchemes();

let mock: MockOpenAI;
let respond: MockResponder = () => ({ status: 500 });
beforeAll(async () => {
  mock = await startMockOpenAI({ respond: (request, index) => respond(request, index) });
});
afterAll(() => mock.close());

async function run(responder: MockResponder, method: StructuredMethod, deadlineMs = DEADLINE_MS) {
  const before = mock.requests.length;
  let index = 0;
  respond = (request) => responder(request, index++);
  const backend = createOpenAIBackend({
    llm: {
      baseURL: mock.url,
      model: 'mock-model',
      apiKey: 'sk-test-secret-key',
      structuredMethod: method,
      timeoutMs: TIMEOUT_MS,
      maxRetries: MAX_RETRIES,
      concurrency: 4,
      retry: { baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 10_000 },
    },
    schemes,
  });
  const started = performance.now();
  const result = await deliberate(kase, { backend, schemes, budgets: { deadlineMs } });
  return { result, wallMs: performance.now() - started, requests: mock.requests.length - before };
}

/** Agent calls of the run, each worth at most (1 + retries) requests, twice with its repair call. */
function requestBound(result: DeliberationResult): number {
  const calls = Object.values(result.usage.agentCalls ?? {}).reduce((a, b) => a + b, 0);
  return calls * (1 + MAX_RETRIES) * 2;
}

function checkFailClosed(fault: Fault, result: DeliberationResult, log: Served[]) {
  const nodes = new Map(result.graph.nodes.map((n) => [n.id, n]));
  if (result.status === 'decided') {
    // The good model decides a: a decision for b could only come from an accepted fault.
    expect(result.decision?.option).toBe('a');
    const suspect = verifiedOnlyByFaults(log, fault);
    for (const id of result.explanationArguments) {
      expect(suspect.has(id), `${id} justifies the decision on a faulty verification`).toBe(false);
      expect(nodes.get(id)?.text).not.toContain(TAINT);
      expect(nodes.get(id)?.label).toBe('IN');
    }
  } else {
    expect(result.decision).toBeUndefined();
    expect(['incomplete', 'insufficient-knowledge', 'failed']).toContain(result.status);
    expect(result.failures.length).toBeGreaterThan(0);
  }
  // No tainted text is ever IN, whatever the outcome.
  for (const node of result.graph.nodes) {
    if (node.text.includes(TAINT)) expect(node.label).not.toBe('IN');
  }
  for (const failure of result.failures) {
    for (const fact of FACTS) expect(failure.error).not.toContain(fact.text);
    expect(failure.error).not.toContain('sk-test-secret-key');
  }
}

const METHODS: StructuredMethod[] = ['jsonSchema', 'functionCalling', 'jsonMode'];

describe('deliberate against an endpoint that fails only some calls', () => {
  let baseline: DeliberationResult;
  let baselineRequests = 0;
  beforeAll(async () => {
    const clean = await run(partlyFaulty(FAULTS[0], { first: 'none' }, []), 'jsonSchema');
    baseline = clean.result;
    baselineRequests = clean.requests;
  });

  it('decides a without faults (the reference of every row)', () => {
    expect(baseline.status).toBe('decided');
    expect(baseline.decision?.option).toBe('a');
    expect(baseline.failures).toEqual([]);
  });

  // A transport fault happens before any answer is read: it runs under the first method only.
  const rows = METHODS.flatMap((method, m) =>
    FAULTS.filter((fault) => m === 0 || !fault.transport).flatMap((fault) => {
      const selections = selectionsFor(fault);
      return selections.map(([where, selection]) => ({ method, fault, where, selection }));
    }),
  );

  it.each(rows)(
    '$method, $fault.name on $where',
    async ({ method, fault, selection }) => {
      const log: Served[] = [];
      const { result, wallMs, requests } = await run(partlyFaulty(fault, selection, log), method);
      // A random share may miss a role-limited fault on a small case; the other placements always hit.
      if (!('share' in selection && selection.share < 1)) {
        expect(log.filter((entry) => entry.served !== 'good').length).toBeGreaterThan(0);
      }
      checkFailClosed(fault, result, log);
      expect(wallMs).toBeLessThan(DEADLINE_MS + 2_000);
      expect(requests).toBeLessThanOrEqual(requestBound(result));
      if ('first' in selection && fault.recovers) {
        // One faulty request: a retry or the repair call gets the good answer.
        expect(result.status, JSON.stringify(result.failures)).toBe('decided');
        expect(result.failures).toEqual([]);
        expect(result.graph.nodes.map((n) => [n.id, n.label])).toEqual(
          baseline.graph.nodes.map((n) => [n.id, n.label]),
        );
      }
      if (fault.benign) {
        // Read as it is, without a retry or a repair.
        expect(result.status).toBe('decided');
        expect(result.failures).toEqual([]);
        expect(requests).toBe(baselineRequests);
      }
      if (!fault.benign && 'share' in selection && selection.share === 1) {
        // A fault on every call it applies to: nothing it said can be used, so the case abstains or fails.
        expect(['incomplete', 'failed']).toContain(result.status);
      }
      if (!fault.recovers && 'first' in selection) {
        expect(result.status).toBe(selection.first === 'generator-propose' ? 'failed' : 'incomplete');
        expect(result.failures.map((f) => f.error).join('\n')).toContain(fault.code);
      }
      if (result.status !== 'decided' && !fault.benign) {
        expect(result.failures.map((f) => f.error).join('\n')).toContain(fault.code);
      }
    },
    30_000,
  );

  it('stops waiting for a Retry-After at the deadline', async () => {
    const fault: Fault = {
      name: '429 Retry-After 8',
      reply: () => ({ status: 429, retryAfter: 8 }),
      recovers: false,
      code: 'ARGMED_LLM_RATE_LIMITED',
    };
    const log: Served[] = [];
    const { result, wallMs } = await run(
      partlyFaulty(fault, { first: 'verifier' }, log),
      'jsonSchema',
      1_500,
    );
    expect(wallMs).toBeLessThan(1_500 + 1_000);
    expect(result.status).toBe('incomplete');
    expect(result.budgetsHit).toContain('deadlineMs');
    checkFailClosed(fault, result, log);
  }, 15_000);
});
