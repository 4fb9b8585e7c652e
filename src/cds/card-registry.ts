/**
 * Remembers which stored case each card came from, so that feedback on a card (which names only the card's
 * uuid) reaches its case. Bounded in age (feedback arrives within minutes of a card in practice; past `ttlMs`
 * the card is unknown and feedback answers 404). In memory for one process (also bounded in size; forgotten
 * at a restart), or in Redis (src/shared-state) so that any replica, or the next process, finds the card.
 */
import type { SharedState } from '../shared-state/shared-state.js';

export interface CardLink {
  caseId: string;
  serviceId: string;
  /** The patient and order the card is about (`overrideSubject`), when it names an order or a drug. */
  subject?: string;
  /** The option the card's decision argues for, when it has one (an override attacks that decision). */
  option?: string;
  /** The user the card was shown to (`context.userId`): the author of an override. */
  user?: string;
}

export interface CardRegistry {
  remember(cardUuid: string, link: CardLink): Promise<void>;
  /** The link of a card, or undefined when unknown or expired. */
  find(cardUuid: string): Promise<CardLink | undefined>;
}

/**
 * @param maxCards most cards remembered (oldest forgotten first); default 50 000.
 * @param ttlMs how long a card is remembered; default 24 h.
 * @param now clock in ms.
 * Cost: O(1) per call (a Map keeps insertion order, so the oldest entry is the first).
 */
export function createCardRegistry(
  maxCards = 50_000,
  ttlMs = 86_400_000,
  now: () => number = Date.now,
): CardRegistry {
  const cards = new Map<string, CardLink & { until: number }>();
  return {
    async remember(cardUuid, link) {
      cards.delete(cardUuid);
      cards.set(cardUuid, { ...link, until: now() + ttlMs });
      while (cards.size > maxCards) {
        const oldest = cards.keys().next().value as string;
        cards.delete(oldest);
      }
    },
    async find(cardUuid) {
      const entry = cards.get(cardUuid);
      if (!entry) return undefined;
      if (entry.until < now()) {
        cards.delete(cardUuid);
        return undefined;
      }
      const { until: _until, ...link } = entry;
      return link;
    },
  };
}

/**
 * The registry shared by replicas: one Redis key a card, expiring after `ttlMs`.
 * @param state the Redis connection and key prefix.
 */
export function createRedisCardRegistry({ redis, prefix }: SharedState, ttlMs = 86_400_000): CardRegistry {
  const key = (cardUuid: string) => `${prefix}:cds:card:${cardUuid}`;
  return {
    async remember(cardUuid, link) {
      await redis.set(key(cardUuid), JSON.stringify(link), 'PX', ttlMs);
    },
    async find(cardUuid) {
      const stored = await redis.get(key(cardUuid));
      return stored === null ? undefined : (JSON.parse(stored) as CardLink);
    },
  };
}
