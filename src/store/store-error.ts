/**
 * Errors of the store, each with a stable code so callers (the CLI, `/readyz`, start-up) can map them
 * without parsing messages. Messages never carry patient content.
 */

export type StoreErrorCode =
  /** `DATABASE_URL` is neither `sqlite:PATH` nor `postgres://...`. */
  | 'ARGMED_STORE_BAD_URL'
  /** The database could not be opened or reached. */
  | 'ARGMED_STORE_UNAVAILABLE'
  /** A migration failed; the database is left at the last migration that succeeded. */
  | 'ARGMED_STORE_MIGRATION_FAILED';

/** An error of the store layer. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`argmed/store: ${message}`, options);
    this.name = 'StoreError';
  }
}
