/**
 * Tells whether an error means the database cannot be reached or used right now (a stopped or restarting
 * PostgreSQL, a lost connection, a SQLite file that cannot be opened, read or written), as opposed to a bug or
 * a bad query. The HTTP edge answers those with 503 `ARGMED_STORE_UNAVAILABLE` and `Retry-After` instead of a
 * 500. Checks the error and its `cause` chain; reads only codes and driver messages, never data.
 */

/** PostgreSQL SQLSTATEs of a server that is going away, starting, full of connections or out of resources. */
const POSTGRES_STATES = new Set([
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '58030', // io_error
]);

/** Socket errors of a connection to the database server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** SQLite result codes (better-sqlite3's `code`, extended codes included by prefix) of a file that cannot be used. */
const SQLITE_PREFIXES = [
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_READONLY',
  'SQLITE_FULL',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT',
  'SQLITE_PERM',
];

/** Messages of pg and pg-pool that carry no code. */
const DRIVER_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
  /^The database connection is not open/,
];

/**
 * True when `error` (or an error in its `cause` chain) says the database is unreachable or unusable.
 * @param error any thrown value
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 8; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (code === 'ARGMED_STORE_UNAVAILABLE' || POSTGRES_STATES.has(code) || SOCKET_CODES.has(code))
        return true;
      if (SQLITE_PREFIXES.some((prefix) => code.startsWith(prefix))) return true;
    }
    if (typeof message === 'string' && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
