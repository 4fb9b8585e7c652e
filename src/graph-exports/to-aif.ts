/**
 * AIF JSON (the Argument Interchange Format in the AIFdb JSON layout: `nodes`, `edges`, `locutions`) of a
 * deliberation graph, so argument-mining and argument-analysis tools can read a case's reasoning:
 * - an I-node for each premise and each conclusion (claims are information nodes),
 * - an RA-node for each argument (its inference, named by its scheme), premises -> RA -> conclusion,
 * - a CA-node for each attack. A mutual-exclusion attack rebuts (attacker's conclusion -> CA -> the other
 *   decision's conclusion); an attack from a failed critical question undercuts the inference it challenged
 *   (attacker's conclusion -> CA -> the attacked argument's RA-node).
 * Claims with identical text inside one argument are one I-node; across arguments they stay distinct, since
 * the same words can be premises of different strength in different arguments.
 */
import type { DeliberationGraph } from '../engine/types.js';

export interface AifNode {
  nodeID: string;
  text: string;
  type: 'I' | 'RA' | 'CA';
  /** Our extension: the argument an RA-node stands for, or the attack a CA-node stands for. */
  argument?: string;
  scheme?: string;
  label?: string;
  question?: string;
}

export interface AifEdge {
  edgeID: string;
  fromID: string;
  toID: string;
}

export interface AifDocument {
  nodes: AifNode[];
  edges: AifEdge[];
  locutions: never[];
}

/** Mutual exclusion between candidate decisions is a rebuttal, not an undercut. */
const REBUTTALS = new Set(['exclusive', 'better-decision']);

/**
 * Builds the AIF document of a graph. Node ids: `<arg>.ra`, `<arg>.c` (conclusion), `<arg>.p<i>` (premise i),
 * `<from>-><to>.ca`. O(|A|·premises + |R|).
 */
export function toAif(graph: DeliberationGraph): AifDocument {
  const nodes: AifNode[] = [];
  const edges: AifEdge[] = [];
  const known = new Set(graph.nodes.map((node) => node.id));
  const edge = (fromID: string, toID: string) => edges.push({ edgeID: `e${edges.length + 1}`, fromID, toID });

  for (const argument of graph.nodes) {
    const ra = `${argument.id}.ra`;
    const conclusion = `${argument.id}.c`;
    nodes.push({
      nodeID: ra,
      text: argument.scheme,
      type: 'RA',
      argument: argument.id,
      scheme: argument.scheme,
      label: argument.label,
    });
    nodes.push({ nodeID: conclusion, text: argument.conclusion, type: 'I', argument: argument.id });
    const premiseIds = new Map<string, string>();
    argument.premises.forEach((premise, index) => {
      if (premiseIds.has(premise)) return;
      const id = `${argument.id}.p${index + 1}`;
      premiseIds.set(premise, id);
      nodes.push({ nodeID: id, text: premise, type: 'I', argument: argument.id });
      edge(id, ra);
    });
    edge(ra, conclusion);
  }

  for (const attack of graph.attacks) {
    if (!known.has(attack.from) || !known.has(attack.to)) continue;
    const ca = `${attack.from}->${attack.to}.ca`;
    nodes.push({ nodeID: ca, text: attack.reason || attack.question, type: 'CA', question: attack.question });
    edge(`${attack.from}.c`, ca);
    edge(ca, REBUTTALS.has(attack.question) ? `${attack.to}.c` : `${attack.to}.ra`);
  }
  return { nodes, edges, locutions: [] };
}
