/**
 * CasiMedicos-Arg agreement: the share of the reference explanation's claims (the doctors' annotated
 * claims, not the option spans) that some accepted (IN) argument of the deliberation states. An argument
 * states a claim when their token F1 reaches `threshold` (default 0.3: arguments paraphrase, so exact
 * matches are rare; the threshold is reported with the figure).
 */
import type { DeliberationGraph } from '../../engine/types.js';
import type { ReferenceGraph } from '../types.js';
import { tokenF1 } from './text-overlap.js';

/** Matched claims over reference claims; undefined when the reference has no claims. O(|claims| · |IN|). */
export function referenceClaimShare(
  reference: ReferenceGraph,
  graph: DeliberationGraph,
  threshold = 0.3,
): { matched: number; claims: number } | undefined {
  const claims = reference.components.filter((c) => c.kind === 'claim');
  if (claims.length === 0) return undefined;
  // Each statement of an accepted argument on its own: concatenating them would dilute the overlap.
  const accepted = graph.nodes.filter((n) => n.label === 'IN').flatMap((n) => [n.text, n.conclusion, ...n.premises]);
  const matched = claims.filter((claim) => accepted.some((text) => tokenF1(text, claim.text) >= threshold)).length;
  return { matched, claims: claims.length };
}
