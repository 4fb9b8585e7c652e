/**
 * The HTTP service on the `openai` back-end (ARGMED_BACKEND=openai, ARGMED_LLM_BASE_URL at the local mock) against
 * an endpoint that fails only some calls (test/support/partial-faults.ts): for every fault of the table, on the first
 * call it applies to, on every such call and on a seeded random 30 % of requests, `POST /v1/cases?wait=true` answers 200 with a decision for
 * a justified only by answers that were not faults, or a typed abstention whose failures name the fault; never a
 * 500, never past the deadline; the requests stay within the retry and repair limits; and the service's logs carry
 * neither the patient's text nor the API key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockOpenAI, type MockResponder, startMockOpenAI } from '../support/mock-openai-server.js';
import {
  FAULTS,
  partlyFaulty,
  type Selection,
  type Served,
  TAINT,
  verifiedOnlyByFaults,
} from '../support/partial-faults.js';
import { type RealService, startRealService } from './support/real-service.js';

const API_KEY = 'sk-partial-faults-secret-0123456789';
const MAX_RETRIES = 2;
const DEADLINE_MS = 20_000;

let mock: MockOpenAI;
let service: RealService;
let respond: MockResponder = () => ({ status: 500 });

beforeAll(async () => {
  mock = await startMockOpenAI({ respond: (request, index) => respond(request, index) });
  service = await startRealService('sqlite', {
    ARGMED_BACKEND: 'openai',
    ARGMED_LLM_BASE_URL: mock.url,
    ARGMED_LLM_API_KEY: API_KEY,
    ARGMED_LLM_MODEL: 'mock-model',
    ARGMED_LLM_MAX_RETRIES: String(MAX_RETRIES),
    ARGMED_LLM_TIMEOUT_MS: '500',
  });
});
afterAll(async () => {
  await service?.dispose();
  await mock?.close();
});

/** A case of its own for each row (the service caches answers by prompt), with patient text to look for in logs. */
function caseFor(row: number) {
  const marker = `Patient-marker-${row}-zq`;
  return {
    marker,
    body: {
      title: `Two drugs, one with a side effect for this patient (${row})`,
      facts: [
        { id: 'f1', text: `Adult with condition X, ${marker}.` },
        { id: 'f2', text: 'Known intolerance that drug B worsens.' },
      ],
      question: 'Which drug should be started?',
      options: [
        { id: 'a', text: 'Drug A' },
        { id: 'b', text: 'Drug B' },
      ],
      settings: { deadlineMs: DEADLINE_MS },
    },
  };
}

const rows = FAULTS.flatMap((fault) => {
  const selections: Array<[string, Selection]> = [
    ['the first call it applies to', { first: fault.roles?.[0] ?? 'verifier' }],
    ['every call it applies to', { share: 1, seed: 1 }],
    ['a random 30 %', { share: 0.3, seed: 7 }],
  ];
  return selections.map(([where, selection]) => ({ fault, where, selection }));
}).map((row, index) => ({ ...row, index }));

describe('POST /v1/cases?wait=true against an endpoint that fails only some calls', () => {
  it.each(rows)(
    '$fault.name on $where',
    async ({ fault, selection, index }) => {
      const log: Served[] = [];
      respond = partlyFaulty(fault, selection, log);
      const before = mock.requests.length;
      const { marker, body } = caseFor(index);
      const started = performance.now();
      const res = await service.app.inject({ method: 'POST', url: '/v1/cases?wait=true', payload: body });
      const wallMs = performance.now() - started;

      expect(res.statusCode).toBe(200);
      expect(wallMs).toBeLessThan(DEADLINE_MS + 5_000);
      const answer = res.json();
      const result = answer.result;
      expect(answer.status).toBe(result.status);
      const requests = mock.requests.length - before;
      const calls = Object.values(result.usage.agentCalls as Record<string, number>).reduce(
        (a, b) => a + b,
        0,
      );
      expect(requests).toBeLessThanOrEqual(calls * (1 + MAX_RETRIES) * 2);

      const nodes = new Map<string, { text: string; label: string }>(
        result.graph.nodes.map((n: { id: string; text: string; label: string }) => [n.id, n]),
      );
      const errors = (result.failures as Array<{ error: string }>).map((f) => f.error).join('\n');
      if (answer.status === 'decided') {
        expect(result.decision.option).toBe('a');
        const suspect = verifiedOnlyByFaults(log, fault);
        for (const id of result.explanationArguments as string[]) {
          expect(suspect.has(id), `${id} justifies the decision on a faulty verification`).toBe(false);
          expect(nodes.get(id)?.text).not.toContain(TAINT);
        }
      } else {
        expect(['incomplete', 'insufficient-knowledge', 'failed']).toContain(answer.status);
        expect(result.decision).toBeUndefined();
        expect(errors).toContain(fault.code || 'ARGMED_LLM_');
      }
      if ('first' in selection && fault.recovers) expect(answer.status).toBe('decided');
      if (fault.benign) {
        // Read as it is: one request a call, no retry, no repair.
        expect(result.failures).toEqual([]);
        expect(requests).toBe(calls);
      } else if ('share' in selection && selection.share === 1) {
        expect(['incomplete', 'failed']).toContain(answer.status);
      }
      for (const node of nodes.values()) if (node.text.includes(TAINT)) expect(node.label).not.toBe('IN');

      const logs = service.logs.text;
    // The service does log each request and case (so the checks below look at something).
    expect(logs).toContain(answer.id);
      expect(logs).not.toContain(marker);
      expect(logs).not.toContain(API_KEY);
      expect(logs).not.toContain('drug B worsens');
    },
    40_000,
  );
});
