/**
 * The hash an idempotency key is stored with: sha256 of the case's canonical JSON (keys sorted at every
 * level), so two bodies that differ only in key order or in defaults the schema fills in hash the same.
 */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted, recursively; `undefined` members are left out as `JSON.stringify` does.
 * Cost: O(size of the value).
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

/** Hex sha256 of the canonical JSON of a value. */
export function bodyHash(value: unknown): string {
  return textHash(canonicalJson(value));
}

/** Hex sha256 of a text already in canonical JSON (see {@link canonicalJson}). */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
