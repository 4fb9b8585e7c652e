/** The worker that runs evaluation items and service cases taken from the work queue (src/queue). */
export { type RunningWorker, startWorker, type WorkerOptions } from './start-worker.js';
