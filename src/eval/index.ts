/** Batch evaluation: datasets, methods, metrics, runs, reports, comparison and the worker of the work queue. */
export { compareRuns } from './compare.js';
export * from './datasets/index.js';
export { EVAL_ERROR_CODES, EvaluationError, isRateLimit } from './errors.js';
export * from './faithfulness/index.js';
export * from './methods/index.js';
export * from './metrics/index.js';
export * from './queue/index.js';
export * from './reports/index.js';
export { createMethodContext, needsModel } from './run/create-method-context.js';
export { openEvalStore } from './run/open-eval-store.js';
export { type PreparedRun, prepareRun } from './run/prepare-run.js';
export { processItem } from './run/process-item.js';
export { createProgressReporter, progressLine } from './run/progress-reporter.js';
export { readProgress } from './run/read-progress.js';
export { waitForRun } from './run/wait-for-run.js';
export { pendingJobs, runEvaluation } from './run/run-evaluation.js';
export { runOrEnqueue } from './run/run-or-enqueue.js';
export * from './types.js';
