/**
 * Shared set-up of the CDS Hooks tests: the plugin on its own fastify instance with the zod compilers,
 * wired to the real engine and the knowledge back-end over the example knowledge base.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { createKnowledgeBackend, loadKnowledgeBase } from '../../agents/knowledge/index.js';
import { indexKnowledgeBase } from '../../agents/knowledge/knowledge-index.js';
import { knowledgeBasePath } from '../../src/backends.js';
import { type CdsHooksPluginOptions, cdsHooksPlugin } from '../../src/cds/cds-hooks-plugin.js';
import { knowledgeLookup } from '../../src/cds/knowledge-lookup.js';
import { loadConfig } from '../../src/config.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The moment the fixtures are written for (labs are "recent" relative to it). */
export const FIXTURE_NOW = Date.parse('2026-11-25T12:00:00Z');

/** A fixture request by name (`order-sign`, `spec/discovery-response`, ...), parsed afresh each call. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(join(here, 'fixtures', `${name}.json`), 'utf8')) as T;
}

let reasoning: Promise<Pick<CdsHooksPluginOptions, 'backend' | 'knowledge'>> | undefined;

/** The knowledge back-end and lookups over the default knowledge base, loaded once per test file. */
export function knowledgeReasoning(): Promise<Pick<CdsHooksPluginOptions, 'backend' | 'knowledge'>> {
  reasoning ??= loadKnowledgeBase(knowledgeBasePath()).then((kb) => ({
    backend: createKnowledgeBackend(kb),
    knowledge: knowledgeLookup(indexKnowledgeBase(kb)),
  }));
  return reasoning;
}

/** The plugin on a bare fastify instance; `env` is the environment `loadConfig` reads. */
export async function buildCdsApp(
  env: Record<string, string | undefined> = { ARGMED_CDS_INSECURE: '1' },
  options: Partial<CdsHooksPluginOptions> = {},
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cdsHooksPlugin, {
    config: loadConfig(env),
    now: () => FIXTURE_NOW,
    // The background warm-up would only compete with the first test for the CPU (full-app.test.ts keeps it).
    warmUp: false,
    ...(await knowledgeReasoning()),
    ...options,
  });
  await app.ready();
  return app;
}

/** A JSON document read loosely in assertions (requests and answers are checked by value, not by type). */
// biome-ignore lint/suspicious/noExplicitAny: test documents are navigated freely; the schemas are tested elsewhere.
export type Json = Record<string, any>;
