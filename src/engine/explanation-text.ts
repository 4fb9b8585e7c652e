/**
 * The plain-text explanation of a deliberation, written for a clinician: the decision and why, the
 * challenges it withstood, and why each other option was rejected. Built from the graph: no model call.
 */
import type { Option } from '../../agents/case.js';
import type { ArgumentNode, DeliberationResult } from './types.js';

type Explained = Pick<
  DeliberationResult,
  | 'status'
  | 'reason'
  | 'decision'
  | 'tied'
  | 'justification'
  | 'rejected'
  | 'budgetsHit'
  | 'graph'
  | 'openQuestions'
  | 'pending'
  | 'uncitedFacts'
  | 'assumedAbsent'
> & { candidates?: Option[]; aborted?: boolean };

/** Renders the explanation as lines of text (no trailing newline). */
export function explanationText(result: Explained): string {
  const nodes = new Map(result.graph.nodes.map((n) => [n.id, n]));
  const optionText = (id: string): string => {
    const text = result.candidates?.find((o) => o.id === id)?.text;
    return text && text !== id ? `${id} (${text})` : id;
  };
  const lines: string[] = [...headline(result, optionText)];
  if (result.decision) {
    const decision = nodes.get(result.decision.argument);
    if (decision) lines.push(`Because: ${describe(decision)}`);
    if (result.justification.length > 0) lines.push('It withstood these challenges:');
    const defended = new Set([result.decision.argument, ...result.justification.map((s) => s.defeater)]);
    for (const step of result.justification) {
      const attack = result.graph.attacks.find((a) => a.from === step.attacker && defended.has(a.to));
      const question = attack ? ` [${attack.question}]` : '';
      lines.push(`  - ${describe(nodes.get(step.attacker))}${question}`);
      lines.push(`    answered by ${describe(nodes.get(step.defeater))}`);
    }
  }
  if (result.assumedAbsent && result.assumedAbsent.length > 0) {
    lines.push(
      `Taken as absent because no fact mentions them (confirm before acting): ${result.assumedAbsent.join('; ')}.`,
    );
  }
  if (result.uncitedFacts && result.uncitedFacts.length > 0) {
    lines.push('Facts no argument cites (the decision rests on none of them; check that none would change it):');
    for (const fact of result.uncitedFacts) lines.push(`  - ${fact.id}: ${fact.text}`);
  }
  if (result.openQuestions && result.openQuestions.length > 0) {
    lines.push('Open questions (to confirm before acting):');
    for (const question of result.openQuestions) {
      lines.push(`  - ${question.id} [${question.cause}] ${question.reason}`);
      lines.push(`    to settle: ${question.settle}`);
    }
  }
  for (const pending of result.pending ?? []) {
    lines.push(`${optionText(pending.option)} would be justified if: ${pending.justifiedIf.join('; and ')}.`);
  }
  if (result.rejected.length > 0) lines.push('Options not chosen:');
  for (const rejected of result.rejected) {
    lines.push(
      `  - ${optionText(rejected.option)}: ${describe(nodes.get(rejected.argument))} is ${rejected.label}`,
    );
    for (const defeater of rejected.defeaters) {
      const attack = result.graph.attacks.find((a) => a.from === defeater && a.to === rejected.argument);
      const why = attack ? ` [${attack.question}]` : '';
      lines.push(`    defeated by ${describe(nodes.get(defeater))}${why}`);
    }
  }
  if (result.budgetsHit.length > 0) {
    lines.push(`Note: the dialogue stopped early (budget reached: ${result.budgetsHit.join(', ')}).`);
  }
  if (result.aborted) lines.push('Note: the dialogue was aborted before it finished.');
  return lines.join('\n');
}

function headline(result: Explained, optionText: (id: string) => string): string[] {
  switch (result.status) {
    case 'decided':
      return [`Decision: ${optionText(result.decision!.option)}`];
    case 'undecided':
      return [
        `Undecided: no single option is justified; ${(result.tied ?? []).map(optionText).join(', ') || 'no option'} ` +
          'remain open (neither defeats the other, and no better-decision argument settles it).',
      ];
    case 'no-justified-decision':
      return [
        'No justified decision: every candidate option was defeated.',
        // With the options a clinician gave, every one may truly be unacceptable (each contraindicated for
        // this patient): a correct answer, not only the paper's signal of an error.
        'Either none of the options is acceptable for this patient (each defeater below was verified), or this ' +
          'signals a reasoning error (a wrong or missing fact, a missing rule, or a challenge that should not ' +
          'have succeeded); review the defeaters below before acting.',
      ];
    case 'insufficient-knowledge':
      return [
        'No decision: insufficient knowledge. Open questions that the reasoning back-end could not answer stand',
        'between the options and a decision; confirm them (listed below) before acting.',
      ];
    case 'incomplete':
      return [
        'No decision: the deliberation is incomplete. Some arguments were not fully verified (model calls',
        'failed, answers were invalid, or a budget or the deadline ended the dialogue); nothing unverified is',
        'used to justify a decision.',
      ];
    case 'unsupported-question':
      return [`No decision: argmed does not argue this question: ${result.reason ?? 'unknown reason'}.`];
    default:
      return [`The deliberation failed: ${result.reason ?? 'unknown reason'}.`];
  }
}

function describe(node: ArgumentNode | undefined): string {
  if (!node) return '(unknown argument)';
  return `${node.id} ${node.scheme}: ${node.text}`;
}
