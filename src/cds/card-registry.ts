/**
 * Remembers which stored case each card came from, so that feedback on a card (which names only the card's
 * uuid) reaches its case. Kept in memory, bounded in size and age: feedback arrives within minutes of a
 * card in practice; after a restart or past `ttlMs` the card is unknown and feedback answers 404.
 */

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
  remember(cardUuid: string, link: CardLink): void;
  /** The link of a card, or undefined when unknown or expired. */
  find(cardUuid: string): CardLink | undefined;
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
    remember(cardUuid, link) {
      cards.delete(cardUuid);
      cards.set(cardUuid, { ...link, until: now() + ttlMs });
      while (cards.size > maxCards) {
        const oldest = cards.keys().next().value as string;
        cards.delete(oldest);
      }
    },
    find(cardUuid) {
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
