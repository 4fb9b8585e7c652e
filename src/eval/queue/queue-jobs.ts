/**
 * What travels on the BullMQ queue: evaluation items (the item itself, so a worker on another machine needs
 * no dataset file) and the service's cases (only the case id: the case is in the shared database).
 */
import type { ItemJob } from '../run/process-item.js';

/** The queue's name (BullMQ forbids `:`); isolate deployments or tests with the key prefix instead. */
export const QUEUE_NAME = 'argmed-work';

/** The default Redis key prefix. */
export const DEFAULT_PREFIX = 'argmed';

export type QueueJob = ({ kind: 'eval-item' } & ItemJob) | { kind: 'case'; caseId: string };

/** A deterministic job id, so enqueuing the same item twice while it waits adds it once. */
export function jobIdOf(job: QueueJob): string {
  if (job.kind === 'case') return `case__${job.caseId}`;
  return `eval__${job.runId}__${job.method}__${Buffer.from(job.item.key).toString('base64url')}`;
}

/** BullMQ connection options for a `redis://` or `rediss://` URL (workers need no request retry limit). */
export function connectionOf(redisUrl: string): { url: string; maxRetriesPerRequest: null } {
  return { url: redisUrl, maxRetriesPerRequest: null };
}
