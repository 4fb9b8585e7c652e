/**
 * The persistent call cache end to end: the case service runs a case on the `openai` back-end (built by
 * src/backends.ts with the case's cache) against the local mock OpenAI server; the same case submitted again,
 * even by a new service on a new connection (a restart), is answered from the `llm_calls` table without a
 * single request to the model. Every call is in the call log exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseSchema } from '../../agents/case.js';
import { createBackend } from '../../src/backends.js';
import { createCaseService } from '../../src/cases/case-service.js';
import type { BackendFor } from '../../src/cases/case-service-options.js';
import type { CaseService } from '../../src/cases/types.js';
import { type Config, loadConfig } from '../../src/config.js';
import { listLlmCallsOfCase } from '../../src/store/llm-calls.repository.js';
import { type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';
import { goodReply } from '../support/two-drug-model.js';
import { DIALECTS, openTestStore, type TestStore } from '../store/test-stores.js';

const CASE = CaseSchema.parse({
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

describe.each(DIALECTS)('case service on the openai back-end with the persistent cache, on %s', (dialect) => {
  let mock: MockOpenAI;
  let store: TestStore;
  let config: Config;
  const services: CaseService[] = [];
  const backendFor: BackendFor = (_settings, { cache }) =>
    createBackend(config, { backend: 'openai', cache });

  beforeAll(async () => {
    mock = await startMockOpenAI({ respond: goodReply, latencyMs: 2 });
    store = await openTestStore(dialect);
    config = loadConfig({
      ARGMED_BACKEND: 'openai',
      ARGMED_LLM_BASE_URL: mock.url,
      ARGMED_LLM_API_KEY: 'test-key',
      ARGMED_LLM_MODEL: 'mock-model',
      ARGMED_LLM_MAX_RETRIES: '0',
    });
  });
  afterAll(async () => {
    for (const service of services) await service.close();
    await store?.close();
    await mock?.close();
  });

  it('pays for each call once, logs it with its answer, and serves the same case again from the table', async () => {
    const first = createCaseService({ db: store.db, backendFor, sweepEveryMs: 0 });
    services.push(first);
    const { record } = await first.submit(CASE);
    const done = await first.waitUntilDone(record.id, 20_000);
    expect(done?.status).toBe('decided');
    expect(done?.result?.decision?.option).toBe('a');
    const paid = mock.requests.length;
    expect(paid).toBeGreaterThan(0);
    expect(done?.result?.usage.llmCalls).toBe(paid);
    const log = await listLlmCallsOfCase(store.db, record.id);
    expect(log).toHaveLength(paid);
    expect(log.every((row) => row.cached === 0 && row.answer !== null && row.model === 'mock-model')).toBe(
      true,
    );
    expect(new Set(log.map((row) => row.prompt_hash))).toEqual(
      new Set(done?.result?.calls.map((call) => call.promptHash)),
    );

    // A restart: a new service on a new connection to the same database.
    const reopened = await store.reopen();
    try {
      const second = createCaseService({ db: reopened.db, backendFor, sweepEveryMs: 0 });
      services.push(second);
      const again = await second.submit(CASE);
      expect(again.created).toBe(true);
      const redone = await second.waitUntilDone(again.record.id, 20_000);
      expect(mock.requests).toHaveLength(paid);
      expect(redone?.result?.usage.llmCalls).toBe(0);
      expect(redone?.result?.usage.cachedCalls).toBe(paid);
      expect(redone?.result?.graph).toEqual(done?.result?.graph);
      const hits = await listLlmCallsOfCase(store.db, again.record.id);
      expect(hits).toHaveLength(paid);
      expect(hits.every((row) => row.cached === 1 && row.answer === null)).toBe(true);
      await second.close();
    } finally {
      await reopened.close();
    }

    // Deleting the first case removes the answers it paid for: the next run pays again.
    expect(await first.delete(record.id)).toBe(true);
    const third = await first.submit(CASE);
    const rerun = await first.waitUntilDone(third.record.id, 20_000);
    expect(rerun?.status).toBe('decided');
    expect(mock.requests).toHaveLength(paid * 2);
  });
});
