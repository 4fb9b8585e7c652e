/**
 * AIF JSON (the Argument Interchange Format in the AIFdb JSON layout: `nodes`, `edges`, `locutions`) of a
 * deliberation graph, so argument-mining and argument-analysis tools can read a case's reasoning:
 * - an I-node for each premise and each conclusion (claims are information nodes),
 * - an RA-node for each argument (its inference, named by its scheme), premises -> RA -> conclusion,
 * - a CA-node for each attack, aimed at what the attack challenges:
 *   - a mutual-exclusion or better-decision attack rebuts: attacker's conclusion -> CA -> the other
 *     decision's conclusion I-node;
 *   - a critical question that targets a premise of the attacked argument's scheme (e.g. ASDM `facts-hold`
 *     targets `facts`) challenges that premise: -> CA -> the premise's I-node;
 *   - any other attack (a question that targets the conclusion, i.e. whether the inference holds, or an
 *     attack whose question the schemes do not name) undercuts: -> CA -> the attacked argument's RA-node.
 * A clinician's contributed argument carries its author: `author` on its nodes, and a locution (`personID`,
 * `timestamp`) on its RA-node. Claims with identical text inside one argument are one I-node; across
 * arguments they stay distinct, since the same words can be premises of different strength.
 */
import type { Scheme } from '../../schemes/types.js';
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
  /** Our extension: who contributed the argument (a clinician's), absent for the deliberation's own. */
  author?: string;
}

export interface AifEdge {
  edgeID: string;
  fromID: string;
  toID: string;
}

/** Who said it, when (AIFdb's locution record), for the RA-node of a contributed argument. */
export interface AifLocution {
  nodeID: string;
  personID: string;
  timestamp: string;
}

export interface AifDocument {
  nodes: AifNode[];
  edges: AifEdge[];
  locutions: AifLocution[];
}

/** Mutual exclusion between candidate decisions is a rebuttal, not an undercut. */
const REBUTTALS = new Set(['exclusive', 'better-decision']);

/** The part of a scheme the export reads: which premise each critical question challenges. */
export type AifScheme = Pick<Scheme, 'id' | 'premises' | 'criticalQuestions'>;

/**
 * Builds the AIF document of a graph. Node ids: `<arg>.ra`, `<arg>.c` (conclusion), `<arg>.p<i>` (premise i),
 * `<from>-><to>.ca`. O(|A|·premises + |R|).
 * @param schemes the schemes, to aim premise challenges at the premise; without them every
 *   critical-question attack undercuts the RA-node.
 */
export function toAif(graph: DeliberationGraph, schemes: readonly AifScheme[] = []): AifDocument {
  const nodes: AifNode[] = [];
  const edges: AifEdge[] = [];
  const locutions: AifLocution[] = [];
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const schemeById = new Map(schemes.map((scheme) => [scheme.id, scheme]));
  /** The I-node id of each premise, by argument, in premise order. */
  const premiseNodes = new Map<string, string[]>();
  const edge = (fromID: string, toID: string) => edges.push({ edgeID: `e${edges.length + 1}`, fromID, toID });

  for (const argument of graph.nodes) {
    const ra = `${argument.id}.ra`;
    const conclusion = `${argument.id}.c`;
    const author = argument.contribution?.author;
    const by = author !== undefined ? { author } : {};
    nodes.push({
      nodeID: ra,
      text: argument.scheme,
      type: 'RA',
      argument: argument.id,
      scheme: argument.scheme,
      label: argument.label,
      ...by,
    });
    if (argument.contribution) {
      locutions.push({
        nodeID: ra,
        personID: argument.contribution.author,
        timestamp: argument.contribution.at,
      });
    }
    nodes.push({ nodeID: conclusion, text: argument.conclusion, type: 'I', argument: argument.id, ...by });
    const premiseIds = new Map<string, string>();
    const order: string[] = [];
    argument.premises.forEach((premise, index) => {
      const known = premiseIds.get(premise);
      if (known !== undefined) {
        order.push(known);
        return;
      }
      const id = `${argument.id}.p${index + 1}`;
      premiseIds.set(premise, id);
      order.push(id);
      nodes.push({ nodeID: id, text: premise, type: 'I', argument: argument.id, ...by });
      edge(id, ra);
    });
    premiseNodes.set(argument.id, order);
    edge(ra, conclusion);
  }

  /** Where an attack lands: the other conclusion (rebuttal), a premise, or the inference (RA-node). */
  const aimOf = (attack: DeliberationGraph['attacks'][number]): string => {
    if (REBUTTALS.has(attack.question)) return `${attack.to}.c`;
    const target = byId.get(attack.to);
    const scheme = target ? schemeById.get(target.scheme) : undefined;
    const question = scheme?.criticalQuestions.find((q) => q.id === attack.question);
    const index = question ? scheme!.premises.findIndex((p) => p.id === question.targets) : -1;
    const premise = index >= 0 ? premiseNodes.get(attack.to)?.[index] : undefined;
    return premise ?? `${attack.to}.ra`;
  };

  for (const attack of graph.attacks) {
    if (!byId.has(attack.from) || !byId.has(attack.to)) continue;
    const ca = `${attack.from}->${attack.to}.ca`;
    const author = byId.get(attack.from)?.contribution?.author;
    nodes.push({
      nodeID: ca,
      text: attack.reason || attack.question,
      type: 'CA',
      question: attack.question,
      ...(author !== undefined ? { author } : {}),
    });
    edge(`${attack.from}.c`, ca);
    edge(ca, aimOf(attack));
  }
  return { nodes, edges, locutions };
}
