/** The deliberation engine: the loop, its streaming form, the graph and its DOT rendering. */
export { ArgumentGraph, argumentKey } from './argument-graph.js';
export { BETTER_DECISION } from './better-decision.js';
export { createLimiter, type Limiter } from './concurrency.js';
export { continueDeliberation, deliberate, effectiveBudgets } from './deliberate.js';
export { deliberationEvents } from './deliberation-events.js';
export { EXCLUSIVE } from './exclusive-attacks.js';
export { explanationText } from './explanation-text.js';
export { graphToDot } from './graph-dot.js';
export * from './types.js';
