/**
 * How a stored case looks over HTTP: its record with the links a client follows next (events, graph, view).
 */
import { z } from 'zod';
import type { CaseRecord, CaseSummary } from '../cases/types.js';
import { DELIBERATION_STATUSES } from '../engine/types.js';

export const CASE_STATUSES = ['queued', 'running', ...DELIBERATION_STATUSES] as const;

export const CaseLinksSchema = z.object({
  self: z.string(),
  events: z.string(),
  graph: z.string(),
  view: z.string(),
});

/** A case as `GET /v1/cases/:id` answers it. `result` is the engine's DeliberationResult once finished. */
export const CaseResponseSchema = z.object({
  id: z.string(),
  status: z.enum(CASE_STATUSES),
  title: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
  decision: z.string().optional(),
  input: z.unknown(),
  result: z.unknown().optional(),
  feedback: z.array(z.unknown()),
  links: CaseLinksSchema,
});

export const CaseSummaryResponseSchema = z.object({
  id: z.string(),
  status: z.enum(CASE_STATUSES),
  title: z.string().optional(),
  decision: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  links: CaseLinksSchema,
});

/** The links of a case, relative to the server root. */
export function caseLinks(id: string): z.output<typeof CaseLinksSchema> {
  const self = `/v1/cases/${encodeURIComponent(id)}`;
  return { self, events: `${self}/events`, graph: `${self}/graph`, view: `${self}/view` };
}

/** The HTTP body of a case record. */
export function representCase(record: CaseRecord): z.output<typeof CaseResponseSchema> {
  return {
    id: record.id,
    status: record.status,
    title: record.input.title,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    finishedAt: record.finishedAt,
    error: record.error,
    decision: record.result?.decision?.option,
    input: record.input,
    result: record.result,
    feedback: record.feedback,
    links: caseLinks(record.id),
  };
}

/** The HTTP body of a case in a listing. */
export function representSummary(summary: CaseSummary): z.output<typeof CaseSummaryResponseSchema> {
  return { ...summary, links: caseLinks(summary.id) };
}
