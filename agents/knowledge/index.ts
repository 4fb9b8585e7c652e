/** The offline knowledge back-end: knowledge-base format, loader and the backend factory. */
export * from './create-knowledge-backend.js';
export * from './knowledge-error.js';
export * from './load-knowledge-base.js';
export * from './match-concept.js';
export * from './types.js';
export * from './knowledge-index.js';
