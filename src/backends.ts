/**
 * Builds the reasoning back-end a deliberation runs on from the configuration: `knowledge` (the default,
 * offline: the schemes and a knowledge base of clinical rules) or `openai` (any OpenAI-compatible endpoint,
 * with the LLM settings of `Config.llm` and a call cache). Errors carry a stable code and name the setting to
 * fix, so the CLI and the service can show them as they are.
 */
import { isAbsolute, resolve } from 'node:path';
import {
  createKnowledgeBackend,
  defaultKnowledgeBasePath,
  type KnowledgeBase,
  loadKnowledgeBase,
} from '../agents/knowledge/index.js';
import type { LlmClient } from '../agents/llm/client.js';
import type { Backend, CallCache } from '../agents/types.js';
import { loadSchemes, type SchemeRegistry } from '../schemes/load.js';
import { type Config, llmConfigProblem } from './config.js';

/** Stable codes of back-end set-up errors. */
export type BackendErrorCode = 'ARGMED_BACKEND_UNKNOWN' | 'ARGMED_BACKEND_CONFIG';

/** A back-end that cannot be built; `setting` names the flag or variable to fix. */
export class BackendError extends Error {
  constructor(
    readonly code: BackendErrorCode,
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
    this.name = 'BackendError';
  }
}

export interface BackendOptions {
  /** Overrides `config.backend` (a CLI flag, a case's settings). */
  backend?: string;
  /** Overrides `config.knowledgePath`; relative paths resolve against the working directory. */
  knowledgePath?: string;
  /** Already loaded schemes; loaded from `config.schemesDir` (or the default folder) when absent. */
  schemes?: SchemeRegistry;
  /** The knowledge base of `config.knowledgePath`, already loaded (ignored when `knowledgePath` is given). */
  knowledgeBase?: KnowledgeBase;
  /** The call cache of the `openai` back-end; a fresh in-memory cache when absent. */
  cache?: CallCache;
  /** The `local` back-end's model, already loaded (`loadLocalModel`); loaded from `config.local` when absent. */
  localModel?: Promise<LlmClient>;
}

/** A back-end with the schemes it was built with (the engine needs the same registry). */
export interface BuiltBackend {
  backend: Backend;
  schemes: SchemeRegistry;
}

/**
 * Builds the configured back-end.
 * @throws BackendError `ARGMED_BACKEND_UNKNOWN` for a name other than knowledge/openai/local,
 *   `ARGMED_BACKEND_CONFIG` for openai without a usable model setting (`llmConfigProblem`); the knowledge loader's and the
 *   scheme loader's own errors (with the file name) for bad data files.
 * @example const { backend, schemes } = await createBackend(loadConfig());
 */
export async function createBackend(config: Config, options: BackendOptions = {}): Promise<BuiltBackend> {
  const name = options.backend ?? config.backend;
  const setting = options.backend !== undefined ? '--backend' : 'ARGMED_BACKEND';
  if (name !== 'knowledge' && name !== 'openai' && name !== 'local') {
    throw new BackendError(
      'ARGMED_BACKEND_UNKNOWN',
      setting,
      `unknown back-end "${name}" (use knowledge, openai or local)`,
    );
  }
  const schemes = options.schemes ?? (await loadSchemes(config.schemesDir));
  if (name === 'knowledge') {
    const kb =
      options.knowledgePath === undefined && options.knowledgeBase
        ? options.knowledgeBase
        : await loadKnowledgeBase(knowledgeBasePath(options.knowledgePath ?? config.knowledgePath));
    return { backend: createKnowledgeBackend(kb), schemes };
  }
  if (name === 'local') return { backend: await createLocalBackend(config, schemes, options.localModel), schemes };
  const problem = llmConfigProblem(config.llm);
  if (problem) throw new BackendError('ARGMED_BACKEND_CONFIG', problem.variable, problem.reason);
  // Loaded on demand: the LLM stack (langchain) is heavy and the offline default never needs it.
  const { createOpenAIBackend, MemoryCallCache } = await import('../agents/llm/index.js');
  const cache = options.cache ?? new MemoryCallCache();
  return { backend: createOpenAIBackend({ llm: config.llm, schemes, cache }), schemes };
}

/** The knowledge base to load: the given path (from the working directory) or the packaged default. */
export function knowledgeBasePath(path?: string): string {
  if (path !== undefined) return isAbsolute(path) ? path : resolve(path);
  return defaultKnowledgeBasePath();
}

/** The `local` back-end: the generator and verifier of `openai`, on a GGUF model in this process. */
async function createLocalBackend(config: Config, schemes: SchemeRegistry, model?: Promise<LlmClient>) {
  const [client, { createOpenAIBackend }] = await Promise.all([
    model ?? loadLocalModel(config),
    import('../agents/llm/index.js'),
  ]);
  return { ...createOpenAIBackend({ llm: config.llm, schemes, client }), name: 'local' };
}

/**
 * Loads the GGUF model of `ARGMED_LOCAL_MODEL` into this process. A model takes seconds and gigabytes to load,
 * so a process that runs many cases loads it once and passes it to `createBackend` as `localModel`.
 * @throws BackendError `ARGMED_BACKEND_CONFIG` naming ARGMED_LOCAL_MODEL when the path is missing, node-llama-cpp
 *   is not installed or the file is not a loadable model.
 */
export async function loadLocalModel(config: Config): Promise<LlmClient> {
  if (!config.local.modelPath) {
    throw new BackendError(
      'ARGMED_BACKEND_CONFIG',
      'ARGMED_LOCAL_MODEL',
      'the local back-end needs the path of a GGUF model file, e.g. ARGMED_LOCAL_MODEL=/models/model.gguf',
    );
  }
  const { createLocalLlmClient, LocalModelError } = await import('../agents/local/local-client.js');
  try {
    return await createLocalLlmClient({ modelPath: config.local.modelPath, threads: config.local.threads });
  } catch (error) {
    if (error instanceof LocalModelError) throw new BackendError('ARGMED_BACKEND_CONFIG', 'ARGMED_LOCAL_MODEL', error.message);
    throw error;
  }
}
