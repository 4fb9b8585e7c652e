/** Cases: the service that stores, runs, streams and deletes cases (contract in types.ts). */
export * from './case-runner.js';
export * from './case-service.js';
export * from './case-service-error.js';
export * from './types.js';
