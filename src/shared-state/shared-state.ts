/**
 * State that replicas behind one address must share: the CDS `jti` replay cache, the CDS card registry and
 * the API's rate-limit counters. With `REDIS_URL` they live in Redis under one key prefix, so a token used
 * on one replica is refused on the others, feedback reaches a card another replica (or an earlier process)
 * answered, and a client's limit counts all its requests. Without Redis each process keeps its own, in memory.
 */
import type { Redis } from 'ioredis';

export interface SharedState {
  redis: Redis;
  /** Prefix of every key (the `--queue-prefix` of `argmed serve`, `argmed` by default). */
  prefix: string;
}

/**
 * Connects to Redis for shared state; commands fail fast (no offline queue) so a request never hangs on a
 * Redis that is down. ioredis is imported here, only with `REDIS_URL`: it costs about 0.1 s of CPU at start.
 * @param redisUrl `redis://...` or `rediss://...`
 * @param prefix key prefix
 */
export async function connectSharedState(redisUrl: string, prefix: string): Promise<SharedState> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
  });
  // Errors surface on the commands that fail; the connection's own error events only reconnect.
  redis.on('error', () => {});
  return { redis, prefix };
}
