/**
 * The stored case of a hook call gets the overrides that argued in the call (docs/cds-hooks.md "Overrides
 * argue back"). applyOverrides re-solves the call's own deliberation, so the card reflects an earlier
 * override; the case the card links to is deliberated again by the case service and would show the decision
 * the card no longer makes. Here each standing override becomes a revision of that case too, authored by the
 * clinician who overrode, with the same premise and reason, attacking the decision for the same option. The
 * case is then the newest one contested about the patient and order, so the call after finds the overrides on
 * it (subject-overrides.ts): they carry from call to call until withdrawn.
 */
import { CaseServiceError } from '../cases/case-service-error.js';
import type { CaseService } from '../cases/types.js';
import { DEFAULT_BETTER_DECISION_SCHEME } from '../engine/candidate-decisions.js';
import type { ArgumentNode, DeliberationGraph } from '../engine/types.js';
import type { SubjectOverride } from '../revisions/subject-overrides.js';
import type { RevisionView } from '../revisions/types.js';
import { CASE_WAIT_MS } from './contest-override.js';

/** Tries at a revision when another contribution (feedback on the new card) lands at the same moment. */
const ATTEMPTS = 3;

/** Whether the graph holds this override already (the same hook instance sent twice stores one case). */
function holds(graph: DeliberationGraph, argument: ArgumentNode): boolean {
  return graph.nodes.some(
    (node) => node.contribution !== undefined && node.text === argument.text && node.conclusion === argument.conclusion,
  );
}

function decisionsFor(graph: DeliberationGraph, options: readonly string[]): ArgumentNode[] {
  return graph.nodes.filter(
    (node) =>
      node.kind === 'decision' &&
      node.contribution === undefined &&
      node.scheme !== DEFAULT_BETTER_DECISION_SCHEME &&
      node.option !== undefined &&
      options.includes(node.option),
  );
}

/**
 * Adds the standing overrides to a stored case, once its own deliberation has finished.
 * @param subject `<patient>|<order>` of the call.
 * @returns the revisions made (none when the case did not finish in time, or already holds them).
 * @throws the case service's errors other than a revision conflict it could not get past.
 */
export async function carryOverrides(
  caseService: CaseService,
  caseId: string,
  subject: string,
  overrides: readonly SubjectOverride[],
): Promise<RevisionView[]> {
  if (overrides.length === 0) return [];
  const made: RevisionView[] = [];
  for (const override of overrides) {
    for (let attempt = 1; ; attempt++) {
      const record = await caseService.waitUntilDone(caseId, CASE_WAIT_MS);
      const graph = record?.result?.graph;
      if (!graph || holds(graph, override.argument)) break;
      const targets = decisionsFor(graph, override.options);
      if (targets.length === 0) break;
      const { argument, reason } = override;
      try {
        const { revision } = await caseService.contribute(
          caseId,
          {
            kind: 'feedback',
            subject,
            argument: {
              scheme: argument.scheme,
              premises: argument.premises,
              conclusion: argument.conclusion,
              text: argument.text,
              ...(argument.facts ? { facts: argument.facts } : {}),
              attacks: targets.map((target) => ({ target: target.id })),
              judgement: argument.contribution?.judgement ?? true,
              reason,
            },
          },
          {
            author: argument.contribution?.author ?? 'cds:unknown',
            reason: `Standing override from case ${override.caseId}: ${reason}`,
          },
        );
        made.push(revision);
        break;
      } catch (error) {
        if (!(error instanceof CaseServiceError && error.code === 'ARGMED_REVISION_CONFLICT') || attempt >= ATTEMPTS) throw error;
      }
    }
  }
  return made;
}
