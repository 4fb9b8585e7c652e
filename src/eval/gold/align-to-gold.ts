/**
 * Agreement of an argmed graph with a gold argument graph (CasiMedicos-Arg: doctors' Claim/Premise spans
 * with Support/Attack relations, Sviridova et al., EMNLP 2024).
 *
 * Alignment (text similarity, documented in docs/evaluation.md): each argmed argument that states a positive
 * claim (positive-claims.ts) is aligned to the one gold component (claim, premise or option span) with the
 * highest token F1 against any of its statements (its text, its conclusion, its positive premises; for a
 * decision argument also its option's text), when that F1 reaches the threshold (0.3 by default, as for
 * claim agreement); ties go to the component listed first. Several arguments may align to one component.
 *
 * Relations: an argmed attack (other than the mutual exclusion of candidates) is an `attack`; a defence
 * (a attacks b, b attacks c) is a `support` of c by a, the bipolar reading of a defence. Both ends are mapped
 * through the alignment (unaligned ends drop the relation, as do relations of a component to itself).
 *
 * Component precision: positive arguments other than candidate decisions aligned to a gold claim or premise
 * / positive arguments other than candidate decisions (a decision argument restates its option and aligns
 * to the option span by construction; it is aligned only to map relations). Component recall: gold claims and
 * premises aligned to by some argument / gold claims and premises. Relation precision and recall: distinct
 * mapped relations (from, to, type) found among the gold relations / mapped relations, and gold relations
 * found among the mapped ones / gold relations; also per type.
 */
import type { Option } from '../../../agents/case.js';
import type { ArgumentNode, DeliberationGraph } from '../../engine/types.js';
import { isPositiveArgument, isPositiveStatement } from '../metrics/positive-claims.js';
import { tokenF1 } from '../metrics/text-overlap.js';
import type { ReferenceGraph } from '../types.js';

export const GOLD_THRESHOLD = 0.3;
const EXCLUSIVE = 'exclusive';

export type RelationType = 'support' | 'attack';

export interface Counts {
  hits: number;
  total: number;
}

export interface GoldAgreement {
  /** Argument id -> gold component id. */
  alignment: Record<string, string>;
  componentPrecision: Counts;
  componentRecall: Counts;
  relationPrecision: Counts;
  relationRecall: Counts;
  byType: Record<RelationType, { precision: Counts; recall: Counts }>;
}

function statements(node: ArgumentNode, options: readonly Option[]): string[] {
  const own = [node.text, node.conclusion, ...node.premises].filter(isPositiveStatement);
  const option = node.kind === 'decision' ? options.find((o) => o.id === node.option)?.text : undefined;
  return option ? [...own, option] : own;
}

/** Aligns the positive arguments of `graph` to the components of `gold`. O(|A| · statements · |components|). */
export function alignToGold(graph: DeliberationGraph, gold: ReferenceGraph, options: readonly Option[] = [], threshold = GOLD_THRESHOLD): Map<string, string> {
  const alignment = new Map<string, string>();
  for (const node of graph.nodes.filter(isPositiveArgument)) {
    let best: { id: string; f1: number } | undefined;
    for (const component of gold.components) {
      const f1 = Math.max(0, ...statements(node, options).map((s) => tokenF1(s, component.text)));
      if (f1 >= threshold && (!best || f1 > best.f1)) best = { id: component.id, f1 };
    }
    if (best) alignment.set(node.id, best.id);
  }
  return alignment;
}

/** argmed's relations as (from, to, type) between its argument ids. O(|R| · max in-degree). */
export function argmedRelations(graph: DeliberationGraph): Array<{ from: string; to: string; type: RelationType }> {
  const attacks = graph.attacks.filter((a) => a.question !== EXCLUSIVE);
  const byTarget = new Map<string, string[]>();
  for (const a of attacks) byTarget.set(a.to, [...(byTarget.get(a.to) ?? []), a.from]);
  const out: Array<{ from: string; to: string; type: RelationType }> = attacks.map((a) => ({ from: a.from, to: a.to, type: 'attack' }));
  // a attacks b, b attacks c: a supports (defends) c.
  for (const b of attacks) for (const a of byTarget.get(b.from) ?? []) if (a !== b.to) out.push({ from: a, to: b.to, type: 'support' });
  return out;
}

/** The agreement of one item's graph with its gold graph. */
export function goldAgreement(graph: DeliberationGraph, gold: ReferenceGraph, options: readonly Option[] = [], threshold = GOLD_THRESHOLD): GoldAgreement {
  const alignment = alignToGold(graph, gold, options, threshold);
  const goldComponents = gold.components.filter((c) => c.kind !== 'option');
  const claimOrPremise = new Set(goldComponents.map((c) => c.id));
  const statements = graph.nodes.filter((n) => isPositiveArgument(n) && n.kind !== 'decision');
  const aligned = new Set(alignment.values());
  const key = (r: { from: string; to: string; type: string }) => `${r.from}\u0000${r.to}\u0000${r.type}`;
  const mapped = new Map<string, { type: RelationType }>();
  for (const r of argmedRelations(graph)) {
    const from = alignment.get(r.from);
    const to = alignment.get(r.to);
    if (from === undefined || to === undefined || from === to) continue;
    mapped.set(key({ from, to, type: r.type }), { type: r.type });
  }
  const goldKeys = new Map(gold.relations.map((r) => [key(r), r.type] as const));
  const byType = {} as GoldAgreement['byType'];
  for (const type of ['support', 'attack'] as const) {
    const m = [...mapped].filter(([, v]) => v.type === type).map(([k]) => k);
    const g = [...goldKeys].filter(([, t]) => t === type).map(([k]) => k);
    byType[type] = {
      precision: { hits: m.filter((k) => goldKeys.has(k)).length, total: m.length },
      recall: { hits: g.filter((k) => mapped.has(k)).length, total: g.length },
    };
  }
  return {
    alignment: Object.fromEntries(alignment),
    componentPrecision: { hits: statements.filter((n) => claimOrPremise.has(alignment.get(n.id) ?? '')).length, total: statements.length },
    componentRecall: { hits: goldComponents.filter((c) => aligned.has(c.id)).length, total: goldComponents.length },
    relationPrecision: { hits: [...mapped.keys()].filter((k) => goldKeys.has(k)).length, total: mapped.size },
    relationRecall: { hits: [...goldKeys.keys()].filter((k) => mapped.has(k)).length, total: goldKeys.size },
    byType,
  };
}
