/**
 * The local back-end where many cases run in one process: the service's back-end chooser loads the GGUF model
 * once for all its cases (and again only after a failed load, so a fixed file needs no restart), and an
 * evaluation run argues its items on the local back-end and records the model file in its spec and provenance.
 * On the tiny random-weight model of test/support/tiny-gguf.ts; skipped without node-llama-cpp (.ci/run installs it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MemoryCallCache } from '../../../agents/llm/index.js';
import { createLocalLlmClient } from '../../../agents/local/local-client.js';
import { loadSchemes } from '../../../schemes/load.js';
import { backendForConfig } from '../../../src/cases/backend-for-config.js';
import { loadConfig } from '../../../src/config.js';
import { buildReport } from '../../../src/eval/reports/build-report.js';
import { prepareRun } from '../../../src/eval/run/prepare-run.js';
import { runOrEnqueue } from '../../../src/eval/run/run-or-enqueue.js';
import { localModelName } from '../../../src/eval/types.js';
import { sqliteStore } from '../../eval/eval-harness.js';
import { writeTinyGguf } from '../../support/tiny-gguf.js';

vi.mock('../../../agents/local/local-client.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../agents/local/local-client.js')>();
  return { ...actual, createLocalLlmClient: vi.fn(actual.createLocalLlmClient) };
});

const PACKAGE = 'node-llama-cpp';
const installed = await import(PACKAGE).then(
  () => true,
  () => false,
);

const dir = mkdtempSync(join(tmpdir(), 'argmed-local-service-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!installed)('the local back-end in a long-running process', () => {
  it('loads the model once for many cases, and again after a failed load', async () => {
    const modelPath = join(dir, 'later.gguf');
    const config = loadConfig({ ARGMED_BACKEND: 'local', ARGMED_LOCAL_MODEL: modelPath });
    const backendFor = await backendForConfig(config, await loadSchemes());
    const loads = vi.mocked(createLocalLlmClient);
    loads.mockClear();

    await expect(backendFor(undefined, { cache: new MemoryCallCache() })).rejects.toThrow(/^ARGMED_LOCAL_MODEL: /);
    writeTinyGguf(modelPath);
    const built = await Promise.all(
      [undefined, { backend: 'local' as const }, undefined].map((settings) =>
        backendFor(settings, { cache: new MemoryCallCache() }),
      ),
    );
    expect(built.map((b) => b.backend.name)).toEqual(['local', 'local', 'local']);
    expect(loads).toHaveBeenCalledTimes(2);
  }, 60_000);

  it('argues an evaluation run on the local model and records the model file', async () => {
    const modelPath = join(dir, 'tiny.gguf');
    writeTinyGguf(modelPath);
    const { store, url } = await sqliteStore();
    try {
      const config = loadConfig({ DATABASE_URL: url, ARGMED_LOCAL_MODEL: modelPath });
      const file = join(import.meta.dirname, '..', '..', 'eval', 'fixtures', 'generic.jsonl');
      const spec = {
        dataset: 'jsonl' as const,
        file,
        slice: { offset: 0, limit: 1, seed: 42 },
        methods: ['argmed' as const],
        backend: 'local' as const,
        localModel: localModelName(config, 'local'),
        // A few calls are enough to show the run argues on the model; the tiny model generates slowly.
        budgets: { maxLlmCalls: 4 },
      };
      const run = await prepareRun(store.db, spec);
      const other = await prepareRun(store.db, { ...spec, localModel: 'other.gguf' });
      expect(other.runId).not.toBe(run.runId);

      const progress = await runOrEnqueue(config, store.db, run, { concurrency: 1 });
      expect(progress.status).toBe('done');
      const report = await buildReport(store.db, run.runId);
      expect(report.provenance.model).toBe('local:tiny.gguf');
      expect(report.provenance.modelCalls).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 300_000);
});
