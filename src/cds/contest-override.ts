/**
 * CDS Hooks feedback that overrides a card with a reason argues back (docs/cds-hooks.md "Overrides argue
 * back"): the reason becomes the premise of a clinician's-judgement argument (scheme CLIN, not verified by a
 * back-end, authored `cds:<user>`) attacking the card's decision argument, in a new revision of the card's
 * case, remembered under the card's patient and order so the next hook call for them reflects it.
 */
import type { CaseService } from '../cases/types.js';
import type { RevisionView } from '../revisions/types.js';
import type { CardLink } from './card-registry.js';

/** How long feedback waits for the card's stored case to finish its own deliberation. */
export const CASE_WAIT_MS = 10_000;

/**
 * Contests the card's case with an override reason.
 * @returns the new revision, or undefined when the card had no decision, names no order, or its case did not
 *   finish in time (the feedback itself is stored either way).
 * @throws the case service's errors (a concurrent revision, ...).
 */
export async function contestOverride(
  caseService: CaseService,
  link: CardLink,
  reason: string,
): Promise<RevisionView | undefined> {
  if (!link.option || !link.subject) return undefined;
  const record = await caseService.waitUntilDone(link.caseId, CASE_WAIT_MS);
  const graph = record?.result?.graph;
  if (!graph) return undefined;
  const target = graph.nodes.find(
    (node) => node.kind === 'decision' && node.option === link.option && node.contribution === undefined,
  );
  if (!target) return undefined;
  const option = record.input.options?.find((o) => o.id === link.option)?.text ?? link.option;
  const { revision } = await caseService.contribute(
    link.caseId,
    {
      kind: 'feedback',
      subject: link.subject,
      argument: {
        scheme: 'CLIN',
        premises: [`The treating clinician judges: ${reason}`],
        conclusion: `${option} should not be chosen for this patient now.`,
        text: `Override of the card: ${reason}`,
        attacks: [{ target: target.id }],
        judgement: true,
        reason,
      },
    },
    { author: `cds:${link.user ?? 'unknown'}`, reason },
  );
  return revision;
}
