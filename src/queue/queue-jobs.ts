/**
 * What travels on the BullMQ queue: evaluation items (the item itself, so a worker on another machine needs
 * no dataset file) and the service's cases (only the case id: the case is in the shared database). The queue
 * knows of an item only what names its job; the whole job is eval's `ItemJob`.
 */

/** What names an evaluation item's job: its run, method and item key. */
export interface ItemJobKey {
  runId: string;
  method: string;
  item: { key: string };
}

/** The queue's name (BullMQ forbids `:`); isolate deployments or tests with the key prefix instead. */
export const QUEUE_NAME = 'argmed-work';

/** The default Redis key prefix. */
export const DEFAULT_PREFIX = 'argmed';

export type QueueJob<Item extends ItemJobKey = ItemJobKey> =
  | ({ kind: 'eval-item' } & Item)
  | { kind: 'case'; caseId: string };

/** A deterministic job id, so enqueuing the same item twice while it waits adds it once. */
export function jobIdOf(job: QueueJob): string {
  if (job.kind === 'case') return `case__${job.caseId}`;
  return `eval__${job.runId}__${job.method}__${Buffer.from(job.item.key).toString('base64url')}`;
}

/** BullMQ connection options for a `redis://` or `rediss://` URL (workers need no request retry limit). */
export function connectionOf(redisUrl: string): { url: string; maxRetriesPerRequest: null } {
  return { url: redisUrl, maxRetriesPerRequest: null };
}
