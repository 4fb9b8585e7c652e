export { createWorkQueue, type WorkQueue, type WorkQueueOptions } from './create-work-queue.js';
export { connectionOf, DEFAULT_PREFIX, jobIdOf, QUEUE_NAME, type QueueJob } from './queue-jobs.js';
export { type RunningWorker, startWorker, type WorkerOptions } from './start-worker.js';
export { waitForRun } from './wait-for-run.js';
export { type CaseEnqueuer, createCaseEnqueuer } from './enqueue-case.js';
