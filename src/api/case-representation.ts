/**
 * How a stored case looks over HTTP: its record with the links a client follows next (events, graph, view).
 * The `view` link is signed (src/view/view-link.ts): it opens the graph page in a browser without an API key,
 * for a short time.
 */
import { z } from 'zod';
import type { CaseRecord, CaseSummary } from '../cases/types.js';
import { DELIBERATION_STATUSES } from '../engine/types.js';
import type { ViewLinks } from '../view/index.js';

export const CASE_STATUSES = ['queued', 'running', ...DELIBERATION_STATUSES] as const;

export const CaseLinksSchema = z.object({
  self: z.string(),
  events: z.string(),
  graph: z.string(),
  view: z.string().describe('The graph page, signed: opens in a browser without an API key until it expires'),
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

/** The links of a case, relative to the server root; `view` signed by `viewLinks` when given. */
export function caseLinks(id: string, viewLinks?: ViewLinks): z.output<typeof CaseLinksSchema> {
  const self = `/v1/cases/${encodeURIComponent(id)}`;
  const view = viewLinks ? viewLinks.path(id) : `${self}/view`;
  return { self, events: `${self}/events`, graph: `${self}/graph`, view };
}

/** The HTTP body of a case record. */
export function representCase(
  record: CaseRecord,
  viewLinks?: ViewLinks,
): z.output<typeof CaseResponseSchema> {
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
    links: caseLinks(record.id, viewLinks),
  };
}

/** The HTTP body of a case in a listing. */
export function representSummary(
  summary: CaseSummary,
  viewLinks?: ViewLinks,
): z.output<typeof CaseSummaryResponseSchema> {
  return { ...summary, links: caseLinks(summary.id, viewLinks) };
}
