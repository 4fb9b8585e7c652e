/**
 * The CDS Hooks overrides that still stand about a subject (a patient and an order): the clinician arguments
 * that feedback on a card added to the latest case contested about it, as that case's latest revision holds
 * them (one withdrawn since no longer counts), with the options of the decisions they attack. The next hook
 * call for the same patient and order adds them to its own deliberation (src/cds/apply-overrides.ts).
 */
import type { ArgumentNode, DeliberationGraph } from '../engine/types.js';
import { latestRevisionOfSubject, listCaseRevisions } from '../store/case-revisions.repository.js';
import type { Db } from '../store/database.js';

export interface SubjectOverride {
  caseId: string;
  argument: ArgumentNode;
  /** Options of the decision arguments it attacks. */
  options: string[];
  /** The override reason (the attack's reason). */
  reason: string;
}

/**
 * @param subject `<patient>|<order>` as the CDS layer writes it.
 * Cost: two indexed queries and O(|A| + |R|) of the case's latest graph.
 */
export async function subjectOverrides(db: Db, subject: string): Promise<SubjectOverride[]> {
  const newest = await latestRevisionOfSubject(db, subject);
  if (!newest) return [];
  const rows = await listCaseRevisions(db, newest.case_id);
  const about = new Set(rows.filter((row) => row.subject === subject).map((row) => row.revision));
  const graph = JSON.parse(rows[rows.length - 1].graph) as DeliberationGraph;
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const overrides: SubjectOverride[] = [];
  for (const node of graph.nodes) {
    if (!node.contribution || !about.has(node.contribution.revision)) continue;
    const attacks = graph.attacks.filter((attack) => attack.from === node.id);
    const options = attacks
      .map((attack) => byId.get(attack.to))
      .filter((target) => target?.kind === 'decision' && target.option !== undefined)
      .map((target) => target!.option!);
    if (options.length === 0) continue;
    overrides.push({ caseId: newest.case_id, argument: node, options, reason: attacks[0]?.reason ?? '' });
  }
  return overrides;
}
