/**
 * Applies one contribution to the graph of a case's latest revision, after checking it against that graph,
 * the case and the schemes. Nothing is stored here: the caller re-solves the edited graph (continuing the
 * deliberation from `fresh`) and stores the revision. A contribution that does not fit throws
 * `ARGMED_VALIDATION` naming the field, before anything changed.
 *
 * - argument (and a CDS override): added as `c<revision>` (ids are never reused), with its author; it attacks
 *   its targets, labelled with the critical question it answers (`clinician` when it names none). Fresh
 *   (to be verified by the case's back-end) unless marked as the clinician's own judgement.
 * - fact: a new fact, or a correction of one (same id; a new text drops the old codes and source unless they
 *   are sent again). Fresh: the arguments citing it and the candidate
 *   decisions (whose critical questions ask about the patient as a whole); the deliberation continued from
 *   them asks again the counters it gives again and drops those it no longer gives (engine/stale-counters.ts).
 * - withdrawal: only a contributed argument; it goes with the back-end's counters (and doubts) that attack
 *   nothing else once it is gone.
 */
import { type Case, type NormalisedFact, normaliseFacts, unreadableIdReason } from '../../agents/case.js';
import type { ArgumentDraft } from '../../agents/types.js';
import { CaseServiceError } from '../cases/case-service-error.js';
import { type FieldIssue, issuesText } from '../../schemes/field-issues.js';
import { ArgumentGraph } from '../engine/argument-graph.js';
import { dropIdleArguments } from '../engine/drop-idle-arguments.js';
import { isDoubt, OPEN_QUESTION } from '../engine/doubts.js';
import type { SchemeRegistry } from '../../schemes/load.js';
import type { ArgumentNode, DeliberationGraph } from '../engine/types.js';
import type { ArgumentContribution, Contribution } from './types.js';

/** The question label of a contributed attack that names no critical question. */
export const CLINICIAN_ATTACK = 'clinician';

export interface ApplyContext {
  schemes: SchemeRegistry;
  /** The number the new revision will have. */
  revision: number;
  author: string;
  at: string;
  /** Candidate options a contributed decision argument may argue for. */
  options: readonly string[];
  betterDecisionScheme: string;
}

export interface AppliedContribution {
  graph: ArgumentGraph;
  /** The case as it now stands (a corrected fact applied). */
  kase: Case;
  /** Arguments the deliberation continues from. */
  fresh: string[];
  /** What changed, as the revision records it. */
  change: Record<string, unknown>;
}

/**
 * Checks and applies a contribution. O(|A| + |R|) to load the graph, plus the contribution's size.
 * @throws CaseServiceError `ARGMED_VALIDATION` (with the failing fields), `ARGMED_ARGUMENT_NOT_FOUND`,
 *   `ARGMED_NOT_WITHDRAWABLE`.
 */
export function applyContribution(
  stored: DeliberationGraph,
  kase: Case,
  contribution: Contribution,
  context: ApplyContext,
): AppliedContribution {
  const graph = ArgumentGraph.fromJSON(stored);
  switch (contribution.kind) {
    case 'argument':
    case 'feedback':
      return addArgument(graph, kase, contribution.argument, context);
    case 'fact':
      return changeFact(graph, kase, contribution.fact, context);
    case 'withdrawal':
      return withdraw(graph, kase, contribution.argument, context.betterDecisionScheme);
  }
}

function addArgument(
  graph: ArgumentGraph,
  kase: Case,
  argument: ArgumentContribution,
  context: ApplyContext,
): AppliedContribution {
  const id = `c${context.revision}`;
  const facts = normaliseFacts(kase.facts);
  const issues = argumentIssues(graph, facts, argument, id, context);
  if (issues.length > 0) throw invalid(issues);
  const scheme = context.schemes.get(argument.scheme)!;
  const draft: ArgumentDraft = {
    scheme: scheme.id,
    kind: scheme.yields,
    ...(argument.option !== undefined ? { option: argument.option } : {}),
    variables: {},
    premises: argument.premises,
    conclusion: argument.conclusion,
    text: argument.text ?? argument.conclusion,
    ...(argument.facts ? { facts: argument.facts } : {}),
    ...(argument.source ? { source: argument.source } : {}),
  };
  let last = 0;
  graph.graph.forEachNode((_node, attributes) => {
    if (attributes.round > last) last = attributes.round;
  });
  graph.addWithId(id, draft, last + 1, 'clinician');
  graph.graph.getNodeAttributes(id).contribution = {
    author: context.author,
    revision: context.revision,
    judgement: argument.judgement,
    at: context.at,
  };
  for (const attack of argument.attacks) {
    graph.addAttack(id, attack.target, attack.question ?? CLINICIAN_ATTACK, argument.reason);
  }
  const { reason: _reason, ...rest } = argument;
  return {
    graph,
    kase,
    fresh: argument.judgement ? [] : [id],
    change: { argument: id, ...rest },
  };
}

function argumentIssues(
  graph: ArgumentGraph,
  facts: readonly NormalisedFact[],
  argument: ArgumentContribution,
  id: string,
  context: ApplyContext,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const scheme = context.schemes.get(argument.scheme);
  if (!scheme) {
    issues.push({
      path: 'body/scheme',
      message: `unknown scheme "${argument.scheme}" (GET /v1/schemes lists them)`,
    });
  } else {
    const names = scheme.premises.map((premise) => premise.id);
    if (argument.premises.length < names.length) {
      const missing = names.slice(argument.premises.length).join('", "');
      issues.push({
        path: `body/premises/${argument.premises.length}`,
        message: `missing premise "${missing}": scheme ${scheme.id} has ${names.length} premises (${names.join(', ')}), in that order`,
      });
    } else if (argument.premises.length > names.length) {
      issues.push({
        path: `body/premises/${names.length}`,
        message: `scheme ${scheme.id} has only ${names.length} premises (${names.join(', ')})`,
      });
    }
    if (scheme.yields === 'decision' && scheme.id !== context.betterDecisionScheme) {
      if (argument.option === undefined) {
        issues.push({ path: 'body/option', message: `scheme ${scheme.id} argues for an option: name it` });
      } else if (!context.options.includes(argument.option)) {
        issues.push({
          path: 'body/option',
          message: `unknown option "${argument.option}" (the case's options: ${context.options.join(', ') || 'none'})`,
        });
      }
    } else if (argument.option !== undefined && scheme.yields === 'belief') {
      issues.push({
        path: 'body/option',
        message: `scheme ${scheme.id} argues about beliefs, not for an option`,
      });
    }
  }
  const known = new Set(facts.map((fact) => fact.id));
  argument.facts?.forEach((fact, index) => {
    if (!known.has(fact))
      issues.push({ path: `body/facts/${index}`, message: `the case has no fact "${fact}"` });
  });
  const seen = new Set<string>();
  argument.attacks.forEach((attack, index) => {
    const path = `body/attacks/${index}`;
    if (attack.target === id) {
      issues.push({ path: `${path}/target`, message: 'an argument cannot attack itself' });
      return;
    }
    if (!graph.graph.hasNode(attack.target)) {
      issues.push({
        path: `${path}/target`,
        message: `there is no argument "${attack.target}" in the current revision`,
      });
      return;
    }
    const target = graph.graph.getNodeAttributes(attack.target);
    // A doubt is what the engine could not settle, not anyone's argument: defeating it by an attack (even the
    // clinician's own judgement) would let a decision stand on what is still unknown, so a fact answers it.
    if (isDoubt(target)) {
      issues.push({
        path: `${path}/target`,
        message:
          target.scheme === OPEN_QUESTION
            ? `"${attack.target}" is an open question: answer it with a fact (POST /v1/cases/:id/facts)`
            : `"${attack.target}" marks an argument that was not verified: it cannot be attacked`,
      });
      return;
    }
    if (seen.has(attack.target)) {
      issues.push({ path: `${path}/target`, message: `"${attack.target}" is attacked twice` });
      return;
    }
    seen.add(attack.target);
    if (attack.question === undefined) return;
    const questions = context.schemes.get(target.scheme)?.criticalQuestions.map((q) => q.id) ?? [];
    if (!questions.includes(attack.question)) {
      issues.push({
        path: `${path}/question`,
        message: `"${attack.question}" is not a critical question of scheme ${target.scheme} (${questions.join(', ') || 'it has none'})`,
      });
    }
  });
  return issues;
}

function changeFact(
  graph: ArgumentGraph,
  kase: Case,
  fact: { id?: string; text: string; codes?: string[]; source?: string },
  context: ApplyContext,
): AppliedContribution {
  const facts = normaliseFacts(kase.facts);
  const index = fact.id === undefined ? -1 : facts.findIndex((known) => known.id === fact.id);
  const previous = index >= 0 ? facts[index] : undefined;
  // A new fact's id is checked as a new case's are: explanations cite facts by id, and an id with a zero-width
  // character, or one that looks like another after normalisation, would cite two facts at once.
  const unreadable =
    fact.id !== undefined && !previous ? unreadableIdReason(fact.id, facts.map((known) => known.id)) : undefined;
  if (unreadable) throw invalid([{ path: 'body/fact/id', message: unreadable }]);
  const id = fact.id ?? nextFactId(facts);
  // Codes and source vouch for the text they came with: a corrected text keeps neither unless sent again.
  // Codes are trusted over text, so an old `active-bleeding` code kept on "no active bleeding" would keep
  // the contraindication the correction removes.
  const kept = previous !== undefined && previous.text === fact.text ? previous : undefined;
  const source = fact.source ?? kept?.source;
  const next: NormalisedFact = {
    id,
    text: fact.text,
    codes: fact.codes ?? kept?.codes ?? [],
    ...(source !== undefined ? { source } : {}),
  };
  if (kept && sameCodes(kept.codes, next.codes) && kept.source === next.source) {
    throw invalid([{ path: 'body/fact', message: `fact "${id}" already says exactly this` }]);
  }
  const updated = facts.slice();
  if (index >= 0) updated[index] = next;
  else updated.push(next);
  const fresh = reaskAfterFactChange(graph, id, context.betterDecisionScheme);
  return {
    graph,
    kase: { ...kase, facts: updated.map(storedFact) },
    fresh,
    change: { fact: next, ...(previous ? { previous } : {}), reasked: fresh },
  };
}

/**
 * The arguments a changed fact is asked again of: those it touches (`touchesFact`), and the targets of the doubts
 * that cite it (a doubt is never asked itself). The continued deliberation removes the earlier doubts of each
 * before asking it (engine/stale-counters.ts `clearEarlierDoubts`), so a corrected fact can settle an open
 * question.
 */
function reaskAfterFactChange(graph: ArgumentGraph, factId: string, betterDecisionScheme: string): string[] {
  const fresh = new Set<string>();
  graph.graph.forEachNode((id, argument) => {
    if (!isDoubt(argument)) {
      if (touchesFact(argument, factId, betterDecisionScheme)) fresh.add(id);
    } else if (argument.facts?.includes(factId)) {
      for (const target of graph.graph.outNeighbors(id)) fresh.add(target);
    }
  });
  return [...fresh];
}

/** Whether a fact change should reach an argument: it cites the fact, or it is a candidate decision. */
function touchesFact(
  argument: Readonly<ArgumentNode>,
  factId: string,
  betterDecisionScheme: string,
): boolean {
  if (argument.contribution?.judgement) return false;
  if (argument.facts?.includes(factId)) return true;
  return (
    argument.kind === 'decision' && argument.option !== undefined && argument.scheme !== betterDecisionScheme
  );
}

function withdraw(
  graph: ArgumentGraph,
  kase: Case,
  id: string,
  betterDecisionScheme: string,
): AppliedContribution {
  if (!graph.graph.hasNode(id)) {
    throw new CaseServiceError(
      'ARGMED_ARGUMENT_NOT_FOUND',
      `There is no argument "${id}" in the current revision.`,
    );
  }
  const argument = graph.graph.getNodeAttributes(id);
  if (!argument.contribution) {
    throw new CaseServiceError(
      'ARGMED_NOT_WITHDRAWABLE',
      // A doubt cannot be attacked either (see argumentIssues): say what settles it.
      isDoubt(argument)
        ? `"${id}" is ${argument.scheme === OPEN_QUESTION ? 'an open question' : 'a not-verified mark'} of the ` +
            'deliberation: a fact settles it (POST /v1/cases/:id/facts), it is not withdrawn.'
        : `"${id}" is an argument of the deliberation: it is kept, and can only be attacked.`,
    );
  }
  // The back-end's counters to it (and the doubts on it) go once they attack nothing else: a counter it shared
  // with another contribution (identical counters are kept once) stays while that one does.
  const attackers = graph.attackers(id);
  graph.removeArgument(id);
  const backEnd = (node: Readonly<ArgumentNode>) => node.contribution === undefined;
  const removed = [id, ...dropIdleArguments(graph, attackers, betterDecisionScheme, backEnd)];
  return { graph, kase, fresh: [], change: { argument: id, removed } };
}

function nextFactId(facts: readonly NormalisedFact[]): string {
  const taken = new Set(facts.map((fact) => fact.id));
  let n = facts.length + 1;
  while (taken.has(`f${n}`)) n += 1;
  return `f${n}`;
}

function sameCodes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((code, i) => code === b[i]);
}

function storedFact(fact: NormalisedFact): Case['facts'][number] {
  return {
    id: fact.id,
    text: fact.text,
    ...(fact.codes.length > 0 ? { codes: fact.codes } : {}),
    ...(fact.source !== undefined ? { source: fact.source } : {}),
  };
}

function invalid(issues: FieldIssue[]): CaseServiceError {
  return new CaseServiceError('ARGMED_VALIDATION', issuesText(issues), issues);
}
