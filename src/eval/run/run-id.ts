/**
 * The id of a run, derived from its spec: the same command (dataset, file, slice, methods, back-end, model,
 * settings) gives the same id, so simply re-running it resumes it.
 */
import { createHash } from 'node:crypto';
import type { RunSpec } from '../types.js';

/** JSON with object keys sorted, so equal specs hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `ev-` and 16 hex digits of the spec's SHA-256. O(size of spec). */
export function runIdOf(spec: RunSpec): string {
  return `ev-${createHash('sha256').update(canonical(spec)).digest('hex').slice(0, 16)}`;
}

/** A UUID-shaped id derived from text (for the stored case of an argmed item: stable across retries). */
export function stableUuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
