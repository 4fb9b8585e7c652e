/**
 * The opaque cursor of case listings: the `(created_at, id)` of the last case of a page, base64url-encoded.
 * Keyset pagination: the next page starts strictly after that pair, so pages never skip or repeat a case
 * even when cases are added or deleted between requests.
 */
import { CaseServiceError } from './case-service-error.js';

export interface CursorPosition {
  createdAt: string;
  id: string;
}

/** Encodes a position. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor.
 * @throws CaseServiceError `ARGMED_VALIDATION` when it is not one this service produced.
 */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string')) {
      const [createdAt, id] = parsed as [string, string];
      if (!Number.isNaN(Date.parse(createdAt)) && id.length > 0) return { createdAt, id };
    }
  } catch {
    // Falls through to the error below: a cursor that is not base64 JSON is as bad as a wrong shape.
  }
  throw new CaseServiceError(
    'ARGMED_VALIDATION',
    'cursor: not a cursor returned by a previous page of this listing',
  );
}
