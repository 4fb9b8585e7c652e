/** The BullMQ work queue: its jobs (evaluation items and service cases) and the producer side. */
export { createWorkQueue, type WorkQueue, type WorkQueueOptions } from './create-work-queue.js';
export { type CaseEnqueuer, createCaseEnqueuer } from './enqueue-case.js';
export {
  connectionOf,
  DEFAULT_PREFIX,
  type ItemJobKey,
  jobIdOf,
  QUEUE_NAME,
  type QueueJob,
} from './queue-jobs.js';
