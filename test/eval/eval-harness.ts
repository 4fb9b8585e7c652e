/**
 * Shared set-up of the evaluation tests: a migrated store (SQLite file, or a fresh PostgreSQL schema) and a
 * configuration pointing at the mock OpenAI server. The scripted model lives in
 * test/support/scripted-eval-model.ts (the figures script under bench/ uses it too).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../src/config.js';
import { openEvalStore } from '../../src/eval/run/open-eval-store.js';
import type { Store } from '../../src/store/open-store.js';

/** A temporary SQLite store, migrated. */
export async function sqliteStore(): Promise<{ store: Store; url: string }> {
  const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'argmed-eval-')), 'eval.db')}`;
  return { store: await openEvalStore({ databaseUrl: url }), url };
}

/** The configuration of a test: the given database, the mock endpoint, one client retry. */
export function testConfig(databaseUrl: string, mockUrl: string, extra: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    ARGMED_LLM_BASE_URL: mockUrl,
    ARGMED_LLM_API_KEY: 'test-key',
    ARGMED_LLM_MODEL: 'mock-model',
    ARGMED_LLM_MAX_RETRIES: '1',
    ARGMED_LLM_TIMEOUT_MS: '10000',
    ...extra,
  });
}
