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
  /** Number of the next `a<n>` id; above every `a<n>` ever loaded, so a removed argument's id is never reused. */
  private nextNumber = 1;

  /**
   * The graph of a stored revision, ids and attributes kept (a contested case continues from it). Labels are
   * kept until the next solve. O(|A| + |R|).
   */
  static fromJSON(stored: DeliberationGraph): ArgumentGraph {
    const graph = new ArgumentGraph();
    for (const node of stored.nodes) {
      graph.insert(node.id, { ...node }, argumentKey(node));
      const number = /^a(\d+)$/.exec(node.id);
      if (number) graph.nextNumber = Math.max(graph.nextNumber, Number(number[1]) + 1);
    }
    for (const attack of stored.attacks) {
      if (graph.graph.hasNode(attack.from) && graph.graph.hasNode(attack.to)) {
        graph.addAttack(attack.from, attack.to, attack.question, attack.reason);
      }
    }
    return graph;
  }

  /**
   * Adds an argument under an id the caller chose (a clinician's contribution, `c1`, `c2`, ...), even when an
   * identical one exists: a contribution is kept as its author made it. Throws when the id is taken.
   */
  addWithId(id: string, draft: ArgumentDraft, round: number, agent: string): ArgumentNode {
    const key = argumentKey(draft);
    this.insert(id, copyDraft(id, draft, round, agent), key);
    return this.argument(id);
  }

  /** Removes an argument and every attack from or on it. Throws when unknown. O(degree). */
  removeArgument(id: string): void {
    const key = argumentKey(this.graph.getNodeAttributes(id));
    this.graph.dropNode(id);
    if (this.byKey.get(key) === id) this.byKey.delete(key);
  }

  /**
   * Rewrites an argument from a draft identical to it (same `argumentKey`) that the back-end gave again: what it
   * says and the facts it cites may differ (the same contraindication, now from another fact). Id, round,
   * agent, label and contribution are kept. O(size of the draft).
   */
  restate(id: string, draft: ArgumentDraft): void {
    const attributes = this.graph.getNodeAttributes(id);
    const fresh = copyDraft(id, draft, attributes.round, attributes.agent);
    attributes.premises = fresh.premises;
    attributes.conclusion = fresh.conclusion;
    attributes.text = fresh.text;
    if (fresh.facts !== undefined) attributes.facts = fresh.facts;
    else delete attributes.facts;
    if (fresh.source !== undefined) attributes.source = fresh.source;
    else delete attributes.source;
  }

  /** Sets the reason of the attack `from -> to` (the verdict that gave it again). O(1). */
  setAttackReason(from: string, to: string, reason: string): void {
    if (this.graph.hasDirectedEdge(from, to)) this.graph.getDirectedEdgeAttributes(from, to).reason = reason;
  }

  /** Removes the attack `from -> to`, if any. O(1). */
  dropAttack(from: string, to: string): void {
    if (this.graph.hasDirectedEdge(from, to)) this.graph.dropDirectedEdge(from, to);
  }

  private insert(id: string, attributes: ArgumentNode, key: string): void {
    this.graph.addNode(id, attributes);
    if (!this.byKey.has(key)) this.byKey.set(key, id);
  }

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
    const id = `a${this.nextNumber++}`;
    this.insert(id, copyDraft(id, draft, round, agent), key);
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

  /**
   * Records what an argument's latest verification took as absent (see `ArgumentNode.assumedAbsent`); an empty
   * list clears what an earlier verification recorded (a contributed fact may now state it).
   */
  setAssumedAbsent(id: string, assumed: readonly string[]): void {
    const attributes = this.graph.getNodeAttributes(id);
    if (assumed.length > 0) attributes.assumedAbsent = [...assumed];
    else delete attributes.assumedAbsent;
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
