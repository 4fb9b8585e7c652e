/** The CDS Hooks 2.0 layer: the fastify plugin, its wire schemas, auth, FHIR mapping and card building. */
export * from './auth.js';
export * from './build-card.js';
export * from './build-questions.js';
export * from './cds-error.js';
export * from './cds-hooks-plugin.js';
export * from './knowledge-lookup.js';
export * from './service-catalog.js';
export * from './types.js';
