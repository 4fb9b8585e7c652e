/**
 * CasiMedicos-Arg claim agreement: the share of the reference explanation's claims (the doctors' annotated
 * claims, not the option spans) that some accepted (IN) argument stating a positive claim (positive-claims.ts)
 * states. An argument states a claim when the token F1 of one of its statements (text, conclusion or a
 * premise) with the claim reaches the threshold. The default 0.3 is a paraphrase-tolerant cut; the report
 * shows the figure at 0.2 to 0.5 (`CLAIM_THRESHOLDS`) so its sensitivity to the cut is visible.
 */
import type { DeliberationGraph } from '../../engine/types.js';
import type { ReferenceGraph } from '../types.js';
import { isPositiveArgument, isPositiveStatement } from './positive-claims.js';
import { tokenF1 } from './text-overlap.js';

export const CLAIM_THRESHOLD = 0.3;
export const CLAIM_THRESHOLDS = [0.2, 0.3, 0.4, 0.5] as const;

/** Matched claims over reference claims; undefined when the reference has no claims. O(|claims| · |IN|). */
export function referenceClaimShare(
  reference: ReferenceGraph,
  graph: DeliberationGraph,
  threshold = CLAIM_THRESHOLD,
): { matched: number; claims: number } | undefined {
  const claims = reference.components.filter((c) => c.kind === 'claim');
  if (claims.length === 0) return undefined;
  // Each statement of an accepted argument on its own: concatenating them would dilute the overlap.
  const accepted = graph.nodes
    .filter((n) => n.label === 'IN' && isPositiveArgument(n))
    .flatMap((n) => [n.text, n.conclusion, ...n.premises])
    .filter(isPositiveStatement);
  const matched = claims.filter((claim) => accepted.some((text) => tokenF1(text, claim.text) >= threshold)).length;
  return { matched, claims: claims.length };
}
