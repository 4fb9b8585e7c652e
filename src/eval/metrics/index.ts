export { type ArgumentStatistics, argumentStatistics } from './argument-statistics.js';
export { defendsDecision, isConflictFree } from './justification-checks.js';
export { percentile } from './percentile.js';
export { referenceClaimShare } from './reference-claims.js';
export { type ArgmedSummary, type MethodSummary, summariseRun } from './summarise-run.js';
export { rougeL, tokenF1, tokenize } from './text-overlap.js';
export { wilsonInterval } from './wilson-interval.js';
