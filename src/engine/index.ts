/** The deliberation engine: the loop, its streaming form, the graph and its conversion to a framework. */
export { ArgumentGraph, argumentKey } from './argument-graph.js';
export { BETTER_DECISION } from './better-decision.js';
export { continueDeliberation, deliberate, effectiveBudgets } from './deliberate.js';
export { deliberationEvents } from './deliberation-events.js';
export { EXCLUSIVE } from './exclusive-attacks.js';
export { explanationText } from './explanation-text.js';
export { frameworkFromGraph, type FromGraphOptions, type MappedFramework } from './framework-from-graph.js';
export * from './types.js';
