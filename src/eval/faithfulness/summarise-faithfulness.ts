/**
 * The faithfulness figures of a method's argmed items (graph-faithfulness.ts, probe-deliberation.ts), each a
 * share with its n and interval:
 * - sufficient: decided items whose justification alone yields the decision;
 * - redundant: justification members (other than the decision) the decision does not need;
 * - minimal: decided items with no redundant member;
 * - stable decision / stable justification: probe runs (repeats, reordered and paraphrased facts) that gave the same
 *   decision / the same decision and justification as the original;
 * - cited facts that matter: deletions of a cited fact that changed the decision or the justification;
 * - uncited facts that do not: deletions of an uncited fact that changed neither.
 */
import { type Share, shareOf } from '../metrics/share.js';
import type { ItemResult } from '../types.js';
import { graphFaithfulness } from './graph-faithfulness.js';

export interface FaithfulnessSummary {
  decided: number;
  sufficient: Share;
  redundant: Share;
  minimal: Share;
  /** Items whose probes ran (the run asked for them). */
  probed: number;
  stableDecision: Share;
  stableJustification: Share;
  citedFactsMatter: Share;
  uncitedFactsDoNot: Share;
}

/** O(items · justification · graph). */
export function summariseFaithfulness(items: readonly ItemResult[]): FaithfulnessSummary | undefined {
  const deliberated = items.filter((i) => i.status === 'done' && i.outcome?.argmed);
  if (deliberated.length === 0) return undefined;
  const graph = deliberated.map((i) => graphFaithfulness(i.outcome!.argmed!)).filter((g) => g !== undefined);
  const members = graph.reduce((n, g) => n + g.members, 0);
  const probes = deliberated.map((i) => i.outcome!.argmed!.probes).filter((p) => p !== undefined);
  const stability = probes.flatMap((p) => p.stability);
  const cited = probes.flatMap((p) => p.citedFacts);
  const uncited = probes.flatMap((p) => p.uncitedFacts);
  const changed = (c: { sameDecision: boolean; sameJustification: boolean }) => !c.sameDecision || !c.sameJustification;
  return {
    decided: graph.length,
    sufficient: shareOf(graph.filter((g) => g.sufficient).length, graph.length),
    redundant: shareOf(graph.reduce((n, g) => n + g.redundant.length, 0), members),
    minimal: shareOf(graph.filter((g) => g.redundant.length === 0).length, graph.length),
    probed: probes.length,
    stableDecision: shareOf(stability.filter((c) => c.sameDecision).length, stability.length),
    stableJustification: shareOf(stability.filter((c) => !changed(c)).length, stability.length),
    citedFactsMatter: shareOf(cited.filter(changed).length, cited.length),
    uncitedFactsDoNot: shareOf(uncited.filter((c) => !changed(c)).length, uncited.length),
  };
}
