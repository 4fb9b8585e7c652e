/**
 * Makes a hook call reflect earlier overrides (docs/cds-hooks.md "Overrides argue back"): a clinician who
 * overrode a card for this patient and order gave a reason, which became an argument attacking the card's
 * decision in a new revision of that case. The next call for the same patient and order adds those
 * arguments, with their author, to its own fresh deliberation, attacking the decision for the same option,
 * and re-solves it (`continueDeliberation` with nothing to verify: no back-end call unless a tie needs a
 * better-decision round). The card is then built from the re-solved result.
 */
import type { Case } from '../../agents/case.js';
import type { Backend } from '../../agents/types.js';
import { ArgumentGraph } from '../engine/argument-graph.js';
import { DEFAULT_BETTER_DECISION_SCHEME } from '../engine/candidate-decisions.js';
import { continueDeliberation } from '../engine/deliberate.js';
import { explanationText } from '../engine/explanation-text.js';
import type { SchemeRegistry } from '../../schemes/load.js';
import type { DeliberationResult } from '../engine/types.js';
import type { SubjectOverride } from '../revisions/subject-overrides.js';
import type { CdsQuestion } from './build-questions.js';

/** The subject an override is remembered under: the patient, and the ordered drug (or the reviewed one). */
export function overrideSubject(patientId: string, question: CdsQuestion): string | undefined {
  const drug = question.order?.concepts.length
    ? [...question.order.concepts].sort().join('+')
    : (question.subject?.name.trim().toLowerCase() ?? '');
  if (!drug) return undefined;
  return `Patient/${patientId}|${question.indication?.id ?? ''}|${drug}`;
}

/**
 * Adds the standing overrides about the call's subject (`caseService.subjectOverrides`) to a result and
 * re-solves it.
 * @returns the result unchanged when there are none (or none attacks an option of this question).
 * Cost: O(|A| + |R|) to rebuild and solve the graph.
 */
export async function applyOverrides(
  result: DeliberationResult,
  kase: Case,
  overrides: readonly SubjectOverride[],
  deps: { backend: Backend; schemes?: SchemeRegistry; deadlineMs: number },
): Promise<DeliberationResult> {
  if (result.status === 'failed' || overrides.length === 0) return result;
  const graph = ArgumentGraph.fromJSON(result.graph);
  const decisions = result.graph.nodes.filter(
    (node) =>
      node.kind === 'decision' && node.option !== undefined && node.scheme !== DEFAULT_BETTER_DECISION_SCHEME,
  );
  const round = Math.max(0, ...result.graph.nodes.map((node) => node.round)) + 1;
  let added = 0;
  for (const { argument, options, reason } of overrides) {
    const targets = decisions.filter((decision) => options.includes(decision.option!));
    if (targets.length === 0 || graph.graph.hasNode(argument.id)) continue;
    const { id, label: _label, round: _round, agent: _agent, contribution, ...draft } = argument;
    graph.addWithId(id, draft, round, 'clinician');
    if (contribution) graph.graph.getNodeAttributes(id).contribution = contribution;
    for (const target of targets) graph.addAttack(id, target.id, 'clinician', reason);
    added += 1;
  }
  if (added === 0) return result;
  const revised = await continueDeliberation(kase, graph, [], {
    backend: deps.backend,
    ...(deps.schemes ? { schemes: deps.schemes } : {}),
    budgets: { deadlineMs: deps.deadlineMs },
    ...(result.candidates ? { candidates: result.candidates } : {}),
  });
  if (revised.status === 'failed') return result;
  // Re-solving verifies nothing again: what limited the deliberation (a budget, a failed call) still limits
  // it, and the card must keep saying so.
  const merged: DeliberationResult = {
    ...revised,
    rounds: result.rounds,
    usage: result.usage,
    calls: result.calls,
    budgetsHit: [...new Set([...result.budgetsHit, ...revised.budgetsHit])],
    failures: [...result.failures, ...revised.failures],
  };
  merged.explanation = explanationText(merged);
  return merged;
}
