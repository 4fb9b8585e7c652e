/**
 * Fail closed (DESIGN.md "safety"): what the dialogue could not settle is written into the graph as a doubt
 * argument in mutual attack with the argument it concerns, so the solver, the exports, the page and the
 * explanation all see it. A doubt is never IN while its target could be: the target can at best be UNDEC,
 * so an argument that was not fully verified never justifies a decision, and it still blocks what it attacks
 * (a side effect whose own questions were never asked keeps its decision undecided rather than reinstated).
 * A verified answer settles a doubt: an IN argument that defeats the target makes the doubt IN and harmless.
 *
 * Two schemes: `OPEN-QUESTION` (a knowledge gap: a question answered unknown, or a successful challenge with
 * no counter-argument) and `NOT-VERIFIED` (incomplete work: a failed or skipped call, an invalid answer, a
 * budget or the deadline). Doubts are engine-made, have no critical questions and are never verified.
 */
import type { Argument, ArgumentDraft } from '../../agents/types.js';
import type { DeliberationState } from './deliberation-state.js';
import type { ArgumentNode, DoubtCause, OpenQuestion } from './types.js';

export const OPEN_QUESTION = 'OPEN-QUESTION';
export const NOT_VERIFIED = 'NOT-VERIFIED';

/** The question label of the attacks between a doubt and its target. */
export const DOUBT = 'doubt';

const KNOWLEDGE_GAPS: readonly DoubtCause[] = ['unknown', 'no-counter'];

/** Whether an argument is a doubt made by the engine. */
export function isDoubt(argument: Pick<ArgumentNode, 'scheme' | 'agent'>): boolean {
  return (
    argument.agent === 'engine' && (argument.scheme === OPEN_QUESTION || argument.scheme === NOT_VERIFIED)
  );
}

/** Whether a doubt is a knowledge gap (`insufficient-knowledge`) rather than incomplete work (`incomplete`). */
export function isKnowledgeGap(cause: DoubtCause): boolean {
  return KNOWLEDGE_GAPS.includes(cause);
}

/** What the engine records about one doubt. */
export interface DoubtInput {
  target: Argument;
  cause: DoubtCause;
  /** The critical question concerned, when there is one. */
  question?: string;
  reason: string;
  /** What would settle it; a default sentence is written when absent. */
  settle?: string;
  /** Ids of the case facts it turns on (provenance, as on any argument). */
  facts?: string[];
}

/**
 * Adds a doubt against `target` (idempotent for the same target, question and cause) and its two attacks,
 * emitting the events. Doubts are added whatever the argument budget: failing closed may not depend on room.
 * @returns the doubt's id.
 */
export function addDoubt(state: DeliberationState, input: DoubtInput): string {
  const draft = doubtDraft(input);
  const result = state.graph.addArgument(draft, input.target.round, 'engine');
  if (result.added) state.emit({ type: 'argument-added', argument: result.argument });
  const id = result.argument.id;
  for (const [from, to] of [
    [id, input.target.id],
    [input.target.id, id],
  ]) {
    const attack = state.graph.addAttack(from, to, DOUBT, input.reason);
    if (attack) state.emit({ type: 'attack-added', attack });
  }
  return id;
}

function doubtDraft(input: DoubtInput): ArgumentDraft {
  const { target, cause, question, reason } = input;
  const gap = isKnowledgeGap(cause);
  const about = `${target.id} (${target.text})`;
  const what =
    cause === 'unknown'
      ? `Open question ${question} on ${about}: ${reason}`
      : cause === 'no-counter'
        ? `Challenge ${question} on ${about} succeeded but no counter-argument could be written: ${reason}`
        : cause === 'counter-failed'
          ? `The counter-argument to ${question} on ${about} could not be built: ${reason}`
          : `${about} was not verified: ${reason}`;
  const settle = input.settle ?? defaultSettle(input);
  return {
    scheme: gap ? OPEN_QUESTION : NOT_VERIFIED,
    kind: 'belief',
    variables: {
      argument: target.id,
      cause,
      ...(question !== undefined ? { question } : {}),
      settle,
    },
    premises: [reason],
    conclusion: `${target.id} is not established until this is settled: ${settle}`,
    text: what,
    ...(input.facts && input.facts.length > 0 ? { facts: [...input.facts] } : {}),
  };
}

/** Settle sentences name the argument by its words as well as its id: a clinician reads them on a card. */
function defaultSettle(input: DoubtInput): string {
  const { target, question } = input;
  const argument = `${target.id} ("${quote(target.text)}")`;
  switch (input.cause) {
    case 'unknown':
      return `answer critical question ${question} of ${argument}`;
    case 'no-counter':
      return `state why ${argument} does not stand on ${question}, or show that it does`;
    default:
      return `verify ${argument}: run the deliberation again once the calls succeed, or with a larger budget`;
  }
}

/** A text cut to about 80 characters on a word boundary. */
function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= 80) return flat;
  const cut = flat.slice(0, 80);
  const space = cut.lastIndexOf(' ');
  return `${space > 40 ? cut.slice(0, space) : cut}…`;
}

/** The open question a doubt node stands for. */
export function openQuestion(node: ArgumentNode): OpenQuestion {
  const v = node.variables;
  return {
    id: node.id,
    argument: v.argument,
    ...(v.question !== undefined ? { question: v.question } : {}),
    cause: v.cause as DoubtCause,
    reason: node.premises[0] ?? '',
    settle: v.settle ?? '',
    ...(node.facts && node.facts.length > 0 ? { facts: [...node.facts] } : {}),
  };
}
