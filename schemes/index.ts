/** The schemes layer: scheme contracts and the loader. */
export * from './load.js';
export * from './types.js';
