/** The `openai` reasoning back-end and the LLM client it is built on. */
export { createOpenAIBackend, type OpenAIBackendOptions } from './backend.js';
export { createLlmClient, type LlmClient } from './client.js';
export { isLlmError, LLM_ERROR_CODES, LlmError, type LlmErrorCode } from './errors.js';
export { MemoryCallCache } from './memory-cache.js';
export { promptHash } from './prompt-hash.js';
export { escapeData } from './prompts/blocks.js';
export * from './types.js';
