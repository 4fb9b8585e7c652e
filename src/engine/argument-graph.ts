/**
 * The argument graph of one deliberation: a graphology `DirectedGraph` whose nodes are arguments and whose
 * edges are attacks (DESIGN.md "The graph"). Identical arguments (same scheme, option and variables) are kept
 * once: a second proposal of the same argument only adds its attack. At most one attack per ordered pair.
 */
import { DirectedGraph } from 'graphology';
import type { Argument, ArgumentDraft } from '../../agents/types.js';
import type { ArgumentNode, AttackEdge, DeliberationGraph, Label } from './types.js';

type EdgeAttributes = Omit<AttackEdge, 'from' | 'to'>;

/** What `addArgument` did: the argument's id, and whether it is new. */
export interface AddedArgument {
  argument: ArgumentNode;
  added: boolean;
}

/**
 * The identity of an argument for de-duplication: scheme, option and its variables in key order. Each part is
 * JSON-quoted, so the key is unambiguous whatever the values contain. O(v log v) for v variables.
 */
export function argumentKey(draft: Pick<ArgumentDraft, 'scheme' | 'option' | 'variables'>): string {
  const variables = draft.variables;
  const names = Object.keys(variables);
  if (names.length > 1) names.sort();
  let key = `${JSON.stringify(draft.scheme)},${draft.option === undefined ? 'null' : JSON.stringify(draft.option)}`;
  for (const name of names) key += `,${JSON.stringify(name)}:${JSON.stringify(variables[name])}`;
  return key;
}

/** The argument graph; node ids are `a1`, `a2`, ... in the order arguments were first added. */
export class ArgumentGraph {
  readonly graph = new DirectedGraph<ArgumentNode, EdgeAttributes>();
  private readonly byKey = new Map<string, string>();

  /** Number of arguments. */
  get size(): number {
    return this.graph.order;
  }

  /**
   * Adds an argument unless an identical one exists.
   * @param key the draft's `argumentKey`, when the caller already computed it.
   * @returns the argument in the graph (the existing one when identical) and whether it was added. O(v log v)
   * for v variables.
   */
  addArgument(draft: ArgumentDraft, round: number, agent: string, key = argumentKey(draft)): AddedArgument {
    const existing = this.byKey.get(key);
    if (existing !== undefined) return { argument: this.argument(existing), added: false };
    const id = `a${this.graph.order + 1}`;
    this.graph.addNode(id, copyDraft(id, draft, round, agent));
    this.byKey.set(key, id);
    return { argument: this.argument(id), added: true };
  }

  /** Whether an argument with this identity (a draft, or its `argumentKey`) is already in the graph. */
  hasIdentical(draft: ArgumentDraft | string): boolean {
    return this.byKey.has(typeof draft === 'string' ? draft : argumentKey(draft));
  }

  /**
   * Adds the attack `from -> to` unless that pair is already attacked or `from === to`.
   * @returns the new attack, or undefined when nothing was added.
   */
  addAttack(from: string, to: string, question: string, reason: string): AttackEdge | undefined {
    if (from === to || this.graph.hasDirectedEdge(from, to)) return undefined;
    this.graph.addDirectedEdge(from, to, { type: 'attack', question, reason });
    return { from, to, type: 'attack', question, reason };
  }

  /** The argument with this id (a copy of its attributes); throws when unknown. */
  argument(id: string): ArgumentNode {
    return { ...this.graph.getNodeAttributes(id) };
  }

  /** Every argument, in insertion order. */
  arguments(): ArgumentNode[] {
    return this.graph.mapNodes((_id, attributes) => ({ ...attributes }));
  }

  /** The arguments for which `keep` is true (copies of their attributes), in insertion order. O(|A|). */
  argumentsWhere(keep: (argument: Readonly<ArgumentNode>) => boolean): ArgumentNode[] {
    const kept: ArgumentNode[] = [];
    this.graph.forEachNode((_id, attributes) => {
      if (keep(attributes)) kept.push({ ...attributes });
    });
    return kept;
  }

  /** Every attack, in insertion order. */
  attacks(): AttackEdge[] {
    return this.graph.mapEdges((_edge, attributes, from, to) => attackEdge(from, to, attributes));
  }

  /** Ids of the arguments attacking `id`. */
  attackers(id: string): string[] {
    return this.graph.inNeighbors(id);
  }

  /** The attack `from -> to`, if any. */
  attack(from: string, to: string): AttackEdge | undefined {
    if (!this.graph.hasDirectedEdge(from, to)) return undefined;
    return attackEdge(from, to, this.graph.getDirectedEdgeAttributes(from, to));
  }

  /**
   * Stores the solver's labels on the nodes. Writes the stored attributes directly: `setNodeAttribute` would
   * also build and emit a graphology change event per node, which nothing here listens to. O(|A|).
   */
  setLabels(labels: ReadonlyMap<string, Label>): void {
    labels.forEach((label, id) => {
      this.graph.getNodeAttributes(id).label = label;
    });
  }

  /** The graph as the result and the exports show it. */
  toJSON(): DeliberationGraph {
    return { nodes: this.arguments(), attacks: this.attacks() };
  }
}

// Objects are built by naming their fields: on Node 20, V8 takes a slow runtime path for an object literal
// that mixes spreads with other properties, and these run once per argument or attack.

/** The stored copy of a draft (arrays and variables copied, so the caller's draft can change freely). */
function copyDraft(id: string, draft: ArgumentDraft, round: number, agent: string): Argument {
  const argument = { id, scheme: draft.scheme, kind: draft.kind } as Argument;
  if (draft.option !== undefined) argument.option = draft.option;
  argument.variables = { ...draft.variables };
  argument.premises = draft.premises.slice();
  argument.conclusion = draft.conclusion;
  argument.text = draft.text;
  if (draft.facts !== undefined) argument.facts = draft.facts.slice();
  if (draft.source !== undefined) argument.source = draft.source;
  argument.round = round;
  argument.agent = agent;
  return argument;
}

function attackEdge(from: string, to: string, attributes: EdgeAttributes): AttackEdge {
  return { from, to, type: attributes.type, question: attributes.question, reason: attributes.reason };
}
