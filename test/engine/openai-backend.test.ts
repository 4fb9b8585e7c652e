/**
 * End to end over HTTP: the engine with the `openai` back-end (built by src/backends.ts from a Config)
 * against the local mock OpenAI server, scripted so that the verifier finds a side effect of option b.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSchema } from '../../agents/case.js';
import { MemoryCallCache } from '../../agents/llm/index.js';
import { createBackend } from '../../src/backends.js';
import { loadConfig } from '../../src/config.js';
import { deliberate } from '../../src/engine/deliberate.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { goodReply } from '../support/two-drug-model.js';

const kase = CaseSchema.parse({
  title: 'Two drugs, one with a side effect for this patient',
  facts: [
    { id: 'f1', text: 'Adult with condition X.' },
    { id: 'f2', text: 'Known intolerance that drug B worsens.' },
  ],
  question: 'Which drug should be started?',
  options: [
    { id: 'a', text: 'Drug A' },
    { id: 'b', text: 'Drug B' },
  ],
});

describe('deliberate with the openai back-end against the mock server', () => {
  let mock: MockOpenAI;
  beforeAll(async () => {
    mock = await startMockOpenAI({ respond: goodReply, latencyMs: 5 });
  });
  afterAll(() => mock.close());

  const config = () =>
    loadConfig({
      ARGMED_BACKEND: 'openai',
      ARGMED_LLM_BASE_URL: mock.url,
      ARGMED_LLM_API_KEY: 'test-key',
      ARGMED_LLM_MODEL: 'mock-model',
      ARGMED_LLM_MAX_RETRIES: '0',
    });

  it('reaches the scripted decision, records every call, and serves a re-run from the cache', async () => {
    const cache = new MemoryCallCache();
    const { backend, schemes } = await createBackend(config(), { cache });
    expect(backend.name).toBe('openai');
    const result = await deliberate(kase, { backend, schemes });

    expect(result.failures).toEqual([]);
    expect(result.status).toBe('decided');
    expect(result.decision?.option).toBe('a');
    const byScheme = (scheme: string) => result.graph.nodes.filter((n) => n.scheme === scheme);
    const [sideEffect] = byScheme('ASSE');
    const b = byScheme('ASDM').find((n) => n.option === 'b')!;
    expect(sideEffect.text).toBe('Drug B worsens the intolerance of f2');
    expect(result.graph.attacks).toContainEqual(
      expect.objectContaining({ from: sideEffect.id, to: b.id, question: 'side-effects' }),
    );
    expect(result.justification).toEqual([{ attacker: b.id, defeater: sideEffect.id }]);
    expect(result.rejected).toEqual([
      { option: 'b', argument: b.id, label: 'OUT', defeaters: [sideEffect.id] },
    ]);

    // propose 1, verify a, b and the side effect (one call each), counter 1.
    expect(result.calls.map((c) => c.role).sort()).toEqual([
      'generator',
      'generator',
      'verifier',
      'verifier',
      'verifier',
    ]);
    expect(mock.requests).toHaveLength(5);
    expect(result.usage.llmCalls).toBe(5);
    expect(result.usage.agentCalls?.verify).toBe(result.usage.argumentsVerified);
    expect(result.usage.tokensIn).toBeGreaterThan(0);
    expect(result.usage.tokensOut).toBeGreaterThan(0);
    expect(result.calls.every((c) => c.model === 'mock-model' && /^[0-9a-f]{16,}$/.test(c.promptHash))).toBe(
      true,
    );

    const again = await deliberate(kase, { backend, schemes });
    expect(mock.requests).toHaveLength(5);
    expect(again.usage.llmCalls).toBe(0);
    expect(again.usage.cachedCalls).toBe(5);
    expect(again.graph).toEqual(result.graph);
  });

  it('fails with the cause when the model never answers usefully in round 0', async () => {
    const broken = await startMockOpenAI({ respond: () => ({ status: 500 }) });
    try {
      const { backend, schemes } = await createBackend(
        loadConfig({
          ARGMED_BACKEND: 'openai',
          ARGMED_LLM_BASE_URL: broken.url,
          ARGMED_LLM_API_KEY: 'k',
          ARGMED_LLM_MAX_RETRIES: '0',
        }),
      );
      const result = await deliberate(kase, { backend, schemes });
      expect(result.status).toBe('failed');
      expect(result.reason).toMatch(/no decision argument: /);
      expect(result.failures[0]).toMatchObject({ role: 'generator', stage: 'propose' });
    } finally {
      await broken.close();
    }
  });
});
