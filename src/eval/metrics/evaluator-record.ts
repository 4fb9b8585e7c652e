/**
 * What the predictability readers (the evaluator model and the null evaluator) read for an item.
 * - A baseline: its reasoning, redacted (redact-explanation.ts).
 * - argmed: the whole argument record, neutral: every candidate option's decision argument, in option order,
 *   each with the arguments that challenged it and those that challenged them (to depth 3), in the same
 *   words for every option, with no labels (IN/OUT/UNDEC), no "answered by"/"defeated by", no decision line
 *   and no rejected-options list; the mutual-exclusion attacks between candidates are left out (they are the
 *   same for every option). argmed's own explanation shows only the winner's defence and lists the others
 *   as rejected, so its shape alone names the decision; here the reader has to weigh the challenges, which
 *   is what the explanation is for.
 * Option ids are masked in both.
 */
import type { Option } from '../../../agents/case.js';
import type { ArgumentNode, DeliberationGraph } from '../../engine/types.js';
import type { MethodOutcome } from '../types.js';
import { redactExplanation } from './redact-explanation.js';

const DEPTH = 3;
const EXCLUSIVE = 'exclusive';
const BETTER_DECISION = 'ASBD';

/** The neutral argument record of a deliberation graph. O(|A| + |R|) per option, bounded by DEPTH. */
export function neutralRecord(graph: DeliberationGraph): string {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const attackers = new Map<string, string[]>();
  for (const a of graph.attacks) {
    if (a.question === EXCLUSIVE) continue;
    attackers.set(a.to, [...(attackers.get(a.to) ?? []), a.from]);
  }
  const candidates = graph.nodes
    .filter((n) => n.kind === 'decision' && n.option !== undefined && n.scheme !== BETTER_DECISION)
    .sort((a, b) => (a.option! < b.option! ? -1 : a.option! > b.option! ? 1 : 0));
  const lines: string[] = [];
  const walk = (id: string, depth: number, path: Set<string>) => {
    if (depth > DEPTH) return;
    for (const from of attackers.get(id) ?? []) {
      const node = nodes.get(from);
      if (!node || path.has(from)) continue;
      lines.push(`${'  '.repeat(depth)}- challenged by: ${statement(node)}`);
      walk(from, depth + 1, new Set([...path, from]));
    }
  };
  for (const candidate of candidates) {
    lines.push(`Argument: ${statement(candidate)}`);
    walk(candidate.id, 1, new Set([candidate.id]));
  }
  return lines.join('\n');
}

function statement(node: ArgumentNode): string {
  return node.text.replace(/\s+/g, ' ').trim();
}

/** The text a predictability reader gets for an outcome. */
export function evaluatorRecord(outcome: Pick<MethodOutcome, 'explanation' | 'argmed'>, options: readonly Pick<Option, 'id'>[]): string {
  const text = outcome.argmed ? neutralRecord(outcome.argmed.graph) : outcome.explanation;
  return redactExplanation(text, options);
}
