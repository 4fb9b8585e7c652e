/**
 * The `jti` replay cache of CDS client tokens (CDS Hooks 2.0: a `jti` is never accepted twice while its token
 * lives). In memory for one process, bounded (fail closed when full); in Redis for replicas, one `SET NX` a
 * token that expires with it (src/shared-state).
 */
import type { SharedState } from '../shared-state/shared-state.js';

/** Clock skew tolerated between client and service, in seconds. */
export const CLOCK_TOLERANCE_S = 30;
/** Most `jti`s remembered at once in memory; past it new tokens are refused until old ones expire. */
export const MAX_REMEMBERED_JTI = 100_000;

export interface ReplayCache {
  /**
   * Records a token's `jti` if it is new.
   * @param key issuer and `jti`.
   * @param expiresAtS the token's `exp` (seconds); the entry is kept past it by the clock tolerance.
   * @returns `new` the first time, `seen` for a replay, `full` when the memory cache cannot take more.
   */
  claim(key: string, expiresAtS: number): Promise<'new' | 'seen' | 'full'>;
}

/** The cache of one process. Cost: O(1) a call, O(n) to sweep expired entries when full. */
export function createMemoryReplayCache(now: () => number = Date.now): ReplayCache {
  const seen = new Map<string, number>();
  return {
    async claim(key, expiresAtS) {
      const nowS = now() / 1000;
      const until = seen.get(key);
      if (until !== undefined && until + CLOCK_TOLERANCE_S >= nowS) return 'seen';
      if (seen.size >= MAX_REMEMBERED_JTI) {
        for (const [jti, exp] of seen) if (exp + CLOCK_TOLERANCE_S < nowS) seen.delete(jti);
        if (seen.size >= MAX_REMEMBERED_JTI) return 'full';
      }
      seen.set(key, expiresAtS);
      return 'new';
    },
  };
}

/** The cache shared by replicas: `SET key 1 NX EXAT exp+tolerance`. */
export function createRedisReplayCache({ redis, prefix }: SharedState): ReplayCache {
  return {
    async claim(key, expiresAtS) {
      const set = await redis.set(
        `${prefix}:cds:jti:${key}`,
        '1',
        'EXAT',
        Math.ceil(expiresAtS) + CLOCK_TOLERANCE_S,
        'NX',
      );
      return set === 'OK' ? 'new' : 'seen';
    },
  };
}
