/**
 * A command line that cannot be run as given (a missing or malformed flag): each command prints its message
 * to stderr and exits non-zero, without a stack trace. The message names the flag and what it accepts.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
