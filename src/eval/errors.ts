/**
 * Errors of the evaluation layer, each with a stable code from one table so the CLI and the HTTP layer
 * can map them once (CLI: message and exit code 1; HTTP: status and problem+json).
 */

/** Every error code the evaluation layer raises, with the HTTP status it maps to. */
export const EVAL_ERROR_CODES = {
  ARGMED_EVAL_FILE_NOT_FOUND: 400,
  ARGMED_EVAL_UNKNOWN_DATASET: 400,
  ARGMED_EVAL_UNKNOWN_METHOD: 400,
  ARGMED_EVAL_BAD_FILE: 400,
  ARGMED_EVAL_BAD_OPTION: 400,
  ARGMED_EVAL_NO_MODEL: 400,
  ARGMED_EVAL_RUN_NOT_FOUND: 404,
  ARGMED_EVAL_RUN_MISMATCH: 409,
  ARGMED_EVAL_RATE_LIMITED: 429,
  ARGMED_EVAL_QUEUE: 503,
} as const;

export type EvalErrorCode = keyof typeof EVAL_ERROR_CODES;

/** An evaluation error: a stable code, a message written for the person running the evaluation. */
export class EvaluationError extends Error {
  readonly status: number;
  constructor(
    readonly code: EvalErrorCode,
    message: string,
  ) {
    super(`argmed/eval: ${message}`);
    this.name = 'EvaluationError';
    this.status = EVAL_ERROR_CODES[code];
  }
}

/** True when an error (ours or a client's) means the model endpoint is rate limiting us (HTTP 429). */
export function isRateLimit(error: unknown): boolean {
  if (error instanceof EvaluationError) return error.code === 'ARGMED_EVAL_RATE_LIMITED';
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { status?: unknown; code?: unknown; message?: unknown };
  if (e.status === 429 || e.code === 'ARGMED_LLM_RATE_LIMITED' || e.code === 'rate_limit_exceeded') return true;
  return typeof e.message === 'string' && /\b429\b|rate.?limit/i.test(e.message);
}
