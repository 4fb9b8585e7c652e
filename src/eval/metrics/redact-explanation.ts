/**
 * What the predictability evaluators may read: an explanation with every trace of the decision removed.
 * Predictability (ArgMed-Agents, arXiv 2403.06294) asks whether a reader can tell the decision from the
 * reasoning; a record that states the decision, or lists the options it rejected (the one missing is the
 * answer), lets a reader with no medical knowledge score 100%. Removed here:
 * - headline lines that state the outcome (`Decision:`, `Answer:`, `Undecided:`, `No justified decision`,
 *   the reasoning-error warning, `The deliberation failed`);
 * - the list of rejected options (`Options not chosen:` and its indented lines);
 * - option ids where they name an option: `option B`, `(B)`, `B)`, `B.` at a line start, `B (` (argmed's
 *   "B (text)"), and upper-case single-letter ids B–Z anywhere as a word; `A` and numeric ids only in
 *   those patterns, since "A" is also an article and numbers are doses and ages.
 * Option texts stay: an argument for "metformin" is the reasoning itself, not a leak of its letter.
 * A leak left by these rules shows as a high score of the null evaluator (null-evaluator.ts).
 */
import type { Option } from '../../../agents/case.js';

const HEADLINE =
  /^\W*(?:final answer|answer|decision|undecided|no justified decision|this usually signals a reasoning error|either none of the options is acceptable|the deliberation failed)\b/i;
const REJECTED_LIST = /^\s*options? not chosen\s*:/i;
export const MASK = '[option]';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The explanation without its decision traces. O(|text| · |options|). */
export function redactExplanation(explanation: string, options: readonly Pick<Option, 'id'>[]): string {
  const kept: string[] = [];
  let inRejected = false;
  for (const line of explanation.split('\n')) {
    if (REJECTED_LIST.test(line)) {
      inRejected = true;
      continue;
    }
    // The rejected list runs while lines are indented.
    if (inRejected && /^\s+\S/.test(line)) continue;
    inRejected = false;
    if (HEADLINE.test(line.trim())) continue;
    kept.push(maskOptionIds(line, options));
  }
  return kept.join('\n').trim();
}

function maskOptionIds(line: string, options: readonly Pick<Option, 'id'>[]): string {
  let out = line;
  for (const { id } of options) {
    if (id.length === 0 || id.length > 3) continue;
    const e = escapeRegExp(id);
    const patterns = [
      new RegExp(`\\b(option|answer|choice)\\s+${e}\\b`, 'gi'),
      new RegExp(`\\(${e}\\)`, 'g'),
      new RegExp(`(^|\\s)${e}\\)`, 'g'),
      new RegExp(`^(\\s*(?:-\\s*)?)${e}(?=[.:-]\\s|\\s\\()`, 'g'),
      new RegExp(`(^|[\\s:])${e}(?=\\s\\()`, 'g'),
    ];
    out = out.replace(patterns[0], (_m, word: string) => `${word} ${MASK}`);
    out = out.replace(patterns[1], `(${MASK})`);
    out = out.replace(patterns[2], (_m, pre: string) => `${pre}${MASK})`);
    out = out.replace(patterns[3], (_m, pre: string) => `${pre}${MASK}`);
    out = out.replace(patterns[4], (_m, pre: string) => `${pre}${MASK}`);
    if (/^[B-Z]$/.test(id)) out = out.replace(new RegExp(`\\b${e}\\b`, 'g'), MASK);
  }
  return out;
}
