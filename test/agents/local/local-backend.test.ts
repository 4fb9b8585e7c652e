/**
 * The `local` back-end for real: node-llama-cpp loads a tiny random-weight GGUF model that the test writes
 * itself (test/support/tiny-gguf.ts; nothing is downloaded), and every answer, constrained by a grammar made
 * from its JSON Schema, parses against its zod schema; then a case runs end to end through the engine. The
 * answers are nonsense, so the test asserts structure, never content. node-llama-cpp is an optional peer:
 * without it the suite is skipped with a message (.ci/run installs it, so it runs in CI).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { proposeSchema, verifySchema } from '../../../agents/llm/output-schemas.js';
import { createLocalLlmClient } from '../../../agents/local/local-client.js';
import { loadSchemes } from '../../../schemes/load.js';
import { createBackend } from '../../../src/backends.js';
import { loadConfig } from '../../../src/config.js';
import { deliberate } from '../../../src/engine/deliberate.js';
import { writeTinyGguf } from '../../support/tiny-gguf.js';

const PACKAGE = 'node-llama-cpp';
const installed = await import(PACKAGE).then(
  () => true,
  () => false,
);
if (!installed) {
  console.warn(
    'local back-end tests skipped: node-llama-cpp is not installed (npm install --no-save --omit=optional ' +
      'node-llama-cpp@3.21.1 @node-llama-cpp/linux-x64@3.21.1; .ci/run does this)',
  );
}

const dir = mkdtempSync(join(tmpdir(), 'argmed-local-'));
const modelPath = join(dir, 'tiny.gguf');
writeTinyGguf(modelPath);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kase = {
  title: 'Type 2 diabetes, first line',
  facts: ['Adult with newly diagnosed type 2 diabetes', 'eGFR 80'],
  question: 'Which first-line drug?',
  options: [
    { id: 'metformin', text: 'metformin' },
    { id: 'insulin', text: 'insulin' },
  ],
};

describe.skipIf(!installed)('the local back-end on a tiny GGUF model', () => {
  it('writes a model of a few hundred kilobytes', () => {
    expect(statSync(modelPath).size).toBeLessThan(400_000);
  });

  it('constrains every answer to its schema', async () => {
    const client = await createLocalLlmClient({ modelPath, threads: 1 });
    const schemes = await loadSchemes();
    const scheme = schemes.all().find((s) => s.criticalQuestions.length > 0 && s.yields === 'decision');
    expect(scheme).toBeDefined();
    const messages = [
      { role: 'system' as const, content: 'Answer in JSON.' },
      { role: 'user' as const, content: 'Which drug first for type 2 diabetes?' },
    ];
    const schemas = [
      verifySchema(scheme!),
      proposeSchema(scheme!, ['f1', 'f2'], ['metformin', 'insulin'], 2),
    ];
    for (const schema of schemas) {
      {
        const { value, calls } = await client.completeStructured(schema, messages, {
          role: 'generator',
          name: 'answer',
        });
        expect(schema.safeParse(value).success).toBe(true);
        expect(calls[0].model).toBe('local:tiny.gguf');
      }
    }
  }, 120_000);

  it('runs a case end to end through the engine', async () => {
    const config = loadConfig({ ARGMED_BACKEND: 'local', ARGMED_LOCAL_MODEL: modelPath });
    const { backend, schemes } = await createBackend(config);
    expect(backend.name).toBe('local');
    const result = await deliberate(kase as never, { backend, schemes });
    expect([
      'decided',
      'undecided',
      'no-justified-decision',
      'insufficient-knowledge',
      'incomplete',
    ]).toContain(result.status);
    expect(result.failures).toEqual([]);
    expect(result.calls.length).toBeGreaterThan(0);
    expect(result.calls.every((call) => call.model === 'local:tiny.gguf')).toBe(true);
    expect(result.graph.nodes.length).toBeGreaterThan(0);
  }, 180_000);
});

describe('the local back-end without a model', () => {
  it('names ARGMED_LOCAL_MODEL when it is not set', async () => {
    await expect(createBackend(loadConfig({ ARGMED_BACKEND: 'local' }))).rejects.toThrow(
      /^ARGMED_LOCAL_MODEL: /,
    );
  });
});
