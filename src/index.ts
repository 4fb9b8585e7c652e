/**
 * The argmed library: deliberate over a clinical case with the engine, on a back-end built from the
 * configuration, and read or solve argumentation frameworks with the solver.
 * @example
 * import { CaseSchema, createBackend, deliberate, loadConfig } from 'argmed';
 * const { backend, schemes } = await createBackend(loadConfig());
 * const result = await deliberate(CaseSchema.parse(json), { backend, schemes });
 */
export {
  type Case,
  type CaseInput,
  CaseSchema,
  candidateOptions,
  type Fact,
  type NormalisedFact,
  normaliseFacts,
  type Option,
} from '../agents/case.js';
export type {
  AgentFailure,
  Argument,
  ArgumentDraft,
  Backend,
  CallCache,
  Generator,
  LlmCallRecord,
  QuestionVerdict,
  Verifier,
} from '../agents/types.js';
export { createKnowledgeBackend, loadKnowledgeBase } from '../agents/knowledge/index.js';
export { createOpenAIBackend, MemoryCallCache } from '../agents/llm/index.js';
export { loadSchemes, type SchemeRegistry } from '../schemes/load.js';
export type { CriticalQuestion, Scheme } from '../schemes/types.js';
export * as solver from '../solver/index.js';
export {
  BackendError,
  type BackendOptions,
  type BuiltBackend,
  createBackend,
  knowledgeBasePath,
} from './backends.js';
export { type Config, ConfigError, loadConfig } from './config.js';
export * from './engine/index.js';
export { toDot } from './graph-exports/to-dot.js';
