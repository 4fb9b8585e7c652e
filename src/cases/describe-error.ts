/**
 * What of an error goes where. A stored failure reason (read by the case's owner through the API) may carry
 * the message; a log line carries only the error's code or class, since messages can quote case content.
 */

const MAX_REASON = 2_000;

/** The message (and code) of an error, for the stored reason of a failed case. */
export function describeError(error: unknown): string {
  const code = error && typeof error === 'object' && 'code' in error ? ` (${String(error.code)})` : '';
  return truncateReason(`${error instanceof Error ? error.message : String(error)}${code}`);
}

/** Caps a stored reason at 2000 characters. */
export function truncateReason(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
}

/** Only the error's code or class name: safe for logs. */
export function errorName(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error) return String(error.code);
  return error instanceof Error ? error.name : typeof error;
}
