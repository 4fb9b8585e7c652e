/**
 * Contested cases over the store: a contribution makes the next revision of a finished case's graph. The
 * latest revision's graph is edited (apply-contribution.ts), the deliberation continues from it only where
 * the change reaches (`continueDeliberation`: the contributed argument verified by the case's back-end,
 * or the arguments a corrected fact touches; nothing re-run from scratch), and the revision is stored in one
 * transaction with the case's current result and graph and a `revision` event for SSE watchers.
 *
 * Concurrency: the revision number is the primary key, so of two contributions based on the same revision
 * the second insert fails (`ARGMED_REVISION_CONFLICT`, 409) and its transaction changes nothing; a stale
 * `If-Match` is refused before any work (`ARGMED_PRECONDITION_FAILED`, 412).
 */
import { loadSchemes, type SchemeRegistry } from '../../schemes/load.js';
import { readStoredCase } from '../cases/case-input.js';
import { CaseServiceError } from '../cases/case-service-error.js';
import type { BackendFor } from '../cases/case-service-options.js';
import { DEFAULT_BETTER_DECISION_SCHEME } from '../engine/candidate-decisions.js';
import { continueDeliberation } from '../engine/deliberate.js';
import { NOT_VERIFIED } from '../engine/doubts.js';
import type { DeliberationGraph, DeliberationResult } from '../engine/types.js';
import { callRow, createCallLogCache } from '../store/call-log-cache.js';
import { appendCaseEvent } from '../store/case-events.repository.js';
import { findCaseGraph, upsertCaseGraph } from '../store/case-graphs.repository.js';
import {
  findCaseRevision,
  insertCaseRevision,
  latestCaseRevision,
  listCaseRevisions,
} from '../store/case-revisions.repository.js';
import type { CaseRevisionRow } from '../store/case-revisions.table.js';
import { findCaseById, updateFinishedCase } from '../store/cases.repository.js';
import type { CaseRow } from '../store/cases.table.js';
import type { Db } from '../store/database.js';
import { insertLlmCalls } from '../store/llm-calls.repository.js';
import { applyContribution } from './apply-contribution.js';
import { verifyChain } from './revision-hash.js';
import { CONTESTABLE } from './contestable.js';
import { firstRevisionOfStored, nextRevisionRow, revisionView, type StoredOutcome } from './revision-rows.js';
import type { Contribution, ContributionMeta, RevisionGraph, RevisionList, RevisionView } from './types.js';


export interface ContestDeps {
  db: Db;
  backendFor: BackendFor;
  now: () => Date;
  /** Wakes readers of the case in this process (event streams). */
  notify: (caseId: string) => void;
}

/** A new revision: its view and the case's result as it now stands. */
export interface ContestResult {
  revision: RevisionView;
  result: DeliberationResult;
}

/**
 * Makes the next revision of a case from a contribution.
 * @throws CaseServiceError: `ARGMED_CASE_NOT_FOUND`, `ARGMED_CASE_NOT_CONTESTABLE`, `ARGMED_PRECONDITION_FAILED`,
 *   `ARGMED_REVISION_CONFLICT`, `ARGMED_VALIDATION` (the field named), `ARGMED_ARGUMENT_NOT_FOUND`,
 *   `ARGMED_NOT_WITHDRAWABLE`. The case is unchanged whenever it throws.
 * Cost: O(|A| + |R|) to load, edit and solve the graph, plus the back-end calls for the fresh arguments.
 */
export async function contestCase(
  deps: ContestDeps,
  caseId: string,
  contribution: Contribution,
  meta: ContributionMeta,
): Promise<ContestResult> {
  const { db } = deps;
  const row = await findCaseById(db, caseId);
  if (!row) throw new CaseServiceError('ARGMED_CASE_NOT_FOUND', `There is no case "${caseId}".`);
  const head = await headRevision(db, row);
  if (!head) {
    throw new CaseServiceError(
      'ARGMED_CASE_NOT_CONTESTABLE',
      row.status === 'failed'
        ? `Case "${caseId}" failed and has no argument graph to contest.`
        : row.status === 'unsupported-question'
          ? // Finished, but refused before any argument: waiting would not help, asking again as a new case does.
            `Case "${caseId}" was refused before any argument was made (its result says why), so there is no ` +
            'argument graph to contest: ask the question again as a new case.'
          : `Case "${caseId}" is ${row.status}: contest it once the deliberation has finished.`,
    );
  }
  if (meta.basedOn !== undefined && meta.basedOn !== head.revision) {
    throw new CaseServiceError(
      'ARGMED_PRECONDITION_FAILED',
      `If-Match names revision ${meta.basedOn}, but the latest is ${head.revision}: read it and contribute again.`,
    );
  }
  const kase = readStoredCase(row.input, caseId);
  const previous = JSON.parse(head.outcome) as StoredOutcome;
  const cache = createCallLogCache(db, { caseId, now: deps.now });
  const { backend, schemes } = await deps.backendFor(kase.settings, { cache });
  const lookup: SchemeRegistry = schemes ?? (await loadSchemes());
  const at = deps.now().toISOString();
  const headGraph = JSON.parse(head.graph) as DeliberationGraph;
  // The not-verified marks of the revision contested, before the contribution edits its graph.
  const marksBefore = new Set(
    headGraph.nodes.filter((node) => node.scheme === NOT_VERIFIED).map((node) => node.id),
  );
  const applied = applyContribution(headGraph, kase, contribution, {
    schemes: lookup,
    revision: head.revision + 1,
    author: meta.author,
    at,
    options: (previous.candidates ?? kase.options ?? []).map((option) => option.id),
    betterDecisionScheme: DEFAULT_BETTER_DECISION_SCHEME,
  });
  const result = await continueDeliberation(applied.kase, applied.graph, applied.fresh, {
    backend,
    schemes: lookup,
    cache,
    ...(previous.candidates ? { candidates: previous.candidates } : {}),
    proposeAgain: contribution.kind === 'fact',
  });
  if (result.status === 'failed') {
    throw new Error(`argmed/revisions: re-solving revision ${head.revision + 1} failed: ${result.reason}`);
  }
  const next = nextRevisionRow(head, {
    kind: contribution.kind,
    author: meta.author,
    reason: meta.reason,
    // What the back-end was asked for this revision (none for the clinician's own judgement or a withdrawal).
    change: { ...applied.change, agentCalls: result.usage.agentCalls ?? {}, failures: result.failures.length },
    result,
    ...(contribution.kind === 'feedback' ? { subject: contribution.subject } : {}),
    at,
  });
  const view = revisionView({ ...next, reason: next.reason ?? null } as CaseRevisionRow, head);
  const current = currentResult(row, result, next.revision, marksBefore);
  await db.transaction().execute(async (trx) => {
    if (!(await insertCaseRevision(trx, next))) {
      throw new CaseServiceError(
        'ARGMED_REVISION_CONFLICT',
        `Revision ${next.revision} of case "${caseId}" was made by another contribution meanwhile: read it and contribute again.`,
      );
    }
    const { graph, ...stored } = current;
    const updated = await updateFinishedCase(trx, caseId, row.status, {
      status: current.status,
      result: JSON.stringify(stored),
      decision: current.decision?.option ?? null,
      input: JSON.stringify(applied.kase),
      updated_at: at,
    });
    if (!updated) {
      throw new CaseServiceError(
        'ARGMED_REVISION_CONFLICT',
        `Case "${caseId}" changed meanwhile: read it and contribute again.`,
      );
    }
    await upsertCaseGraph(trx, {
      case_id: caseId,
      graph: next.graph,
      nodes: graph.nodes.length,
      attacks: graph.attacks.length,
      created_at: at,
    });
    await insertLlmCalls(
      trx,
      cache.unlogged(result.calls).map((call) => callRow(caseId, call, null, new Date(at))),
    );
    await appendCaseEvent(trx, { caseId, type: 'revision', data: JSON.stringify(view), at });
  });
  deps.notify(caseId);
  return { revision: view, result: current };
}

/**
 * The case's result after a revision: the new outcome, explanation, budgets hit and graph, with the
 * deliberation's own record (rounds, usage, call log) kept, and the revision number.
 */
function currentResult(
  row: CaseRow,
  result: DeliberationResult,
  revision: number,
  marksBefore: ReadonlySet<string>,
): DeliberationResult {
  const earlier = JSON.parse(row.result ?? '{}') as Omit<DeliberationResult, 'graph'>;
  // A budget hit earlier still limits this outcome while a not-verified mark it left is in the graph (nothing
  // asked that argument again); once none is, only the budgets this revision hit are reported.
  const stillMarked = result.graph.nodes.some((node) => marksBefore.has(node.id));
  const budgetsHit = stillMarked
    ? [...new Set([...(earlier.budgetsHit ?? []), ...result.budgetsHit])]
    : result.budgetsHit;
  const current: DeliberationResult = {
    ...earlier,
    status: result.status,
    graph: result.graph,
    justification: result.justification,
    explanationArguments: result.explanationArguments,
    rejected: result.rejected,
    explanation: result.explanation,
    // Which budgets limit this outcome: the CDS card warns that it may be incomplete when any does.
    budgetsHit,
    // The options this revision weighed: a fact may have brought a candidate the deliberation did not propose.
    ...(result.candidates ? { candidates: result.candidates } : {}),
    failures: [...(earlier.failures ?? []), ...result.failures],
    revision,
  };
  // What the outcome says comes from this revision alone: an earlier revision's open questions, uncited facts
  // or assumptions would describe a graph that is no longer the case's.
  for (const key of OUTCOME_FIELDS) {
    if (result[key] !== undefined) Object.assign(current, { [key]: result[key] });
    else delete current[key];
  }
  return current;
}

/** The optional fields of a result that describe its outcome (see `currentResult`). */
const OUTCOME_FIELDS = [
  'decision',
  'tied',
  'reason',
  'openQuestions',
  'pending',
  'uncitedFacts',
  'assumedAbsent',
] as const satisfies ReadonlyArray<keyof DeliberationResult>;

/**
 * The latest revision of a finished case. Revision 1 is stored with the case's result, and at start for cases
 * finished before that (backfill-first-revisions.ts); a case finished meanwhile by a process of an older
 * version, during a rolling upgrade, gets it here, before the revision the contribution makes.
 * @returns undefined when the case cannot be contested (still running, or failed).
 */
async function headRevision(db: Db, row: CaseRow): Promise<CaseRevisionRow | undefined> {
  if (!CONTESTABLE.includes(row.status) || row.result === null) return undefined;
  const latest = await latestCaseRevision(db, row.id);
  if (latest) return latest;
  const graphRow = await findCaseGraph(db, row.id);
  if (!graphRow) return undefined;
  // Two first contributions at once both try: the second insert is ignored and both read the one stored.
  await insertCaseRevision(db, firstRevisionOfStored(row, graphRow));
  return latestCaseRevision(db, row.id);
}

/**
 * The revisions of a case and whether their chain verifies (a read: it stores nothing).
 * @returns undefined for an unknown case.
 */
export async function listRevisions(db: Db, caseId: string): Promise<RevisionList | undefined> {
  const row = await findCaseById(db, caseId);
  if (!row) return undefined;
  const rows = await listCaseRevisions(db, caseId);
  return {
    revisions: rows.map((revision, i) => revisionView(revision, i > 0 ? rows[i - 1] : undefined)),
    chain: verifyChain(rows),
  };
}

/**
 * One revision's graph. @returns undefined for an unknown case.
 * @throws CaseServiceError `ARGMED_REVISION_NOT_FOUND`.
 */
export async function revisionGraph(
  db: Db,
  caseId: string,
  revision: number,
): Promise<RevisionGraph | undefined> {
  const row = await findCaseById(db, caseId);
  if (!row) return undefined;
  const found = await findCaseRevision(db, caseId, revision);
  if (!found) {
    const latest = await latestCaseRevision(db, caseId);
    throw new CaseServiceError(
      'ARGMED_REVISION_NOT_FOUND',
      latest
        ? `Case "${caseId}" has revisions 1 to ${latest.revision}, not ${revision}.`
        : `Case "${caseId}" has no revisions yet (it has not finished).`,
    );
  }
  return { revision, graph: JSON.parse(found.graph) as DeliberationGraph };
}
