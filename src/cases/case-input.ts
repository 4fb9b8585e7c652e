/**
 * Checks what callers hand the case service: the case document (the same zod schema as `argmed decide`)
 * and the time filters of a listing. Errors name the field, for a 400 that says what to fix.
 */
import { type Case, type CaseInput, CaseSchema } from '../../agents/case.js';
import { CaseServiceError } from './case-service-error.js';

/**
 * Parses a case.
 * @throws CaseServiceError `ARGMED_VALIDATION` listing the failing fields (`options/1/id: ...`).
 */
export function parseCase(input: CaseInput): Case {
  const parsed = CaseSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('/'),
    message: issue.message,
  }));
  const detail = issues.map((issue) => `${issue.path || 'case'}: ${issue.message}`).join('; ');
  throw new CaseServiceError('ARGMED_VALIDATION', detail, issues);
}

/**
 * An ISO 8601 time (any offset) as the stored form (UTC with milliseconds), so it compares as text.
 * @throws CaseServiceError `ARGMED_VALIDATION` naming `field`.
 */
export function normaliseTime(field: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new CaseServiceError('ARGMED_VALIDATION', `${field}: not an ISO 8601 date-time`);
  return new Date(time).toISOString();
}
