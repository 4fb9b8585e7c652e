/**
 * The null evaluator of predictability: guesses the decision from the surface of the (redacted)
 * explanation with no medical knowledge, the way a leak would be exploited. It looks for the options the
 * text names (by id pattern or by option text) and whether each is named in a rejecting context ("not
 * chosen", "rejected", "OUT", "defeated", "incorrect", "ruled out"); its guess is the named option never
 * rejected (the most named one if several), else the only option never named when all others are
 * rejected, else `none` (no decision). Measured in the same run as the model evaluator: a high null score
 * means the explanation gives the answer away without reasoning, and the model score beside it means little.
 */
import type { Option } from '../../../agents/case.js';

/** The evaluators' answer for an explanation that decided nothing. */
export const NO_DECISION = 'none';

const REJECTING = /\b(not chosen|rejected|is out|defeated|incorrect|wrong|ruled out|excluded|not (?:the )?(?:correct|right|best))\b/i;

function norm(text: string): string {
  return ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `line` names `option` (its id in an option pattern, or its whole text). */
function names(line: string, option: Option): boolean {
  const e = escapeRegExp(option.id);
  if (new RegExp(`(\\boption\\s+${e}\\b|\\(${e}\\)|(^|\\s)${e}[).:]\\s|(^|[\\s:-])${e}\\s\\()`, 'i').test(line)) return true;
  if (/^[B-Z]$/.test(option.id) && new RegExp(`\\b${e}\\b`).test(line)) return true;
  const text = norm(option.text);
  return text.trim().length > 0 && norm(line).includes(text);
}

/** The null evaluator's guess: an option id or `none`. O(|text| · |options|). */
export function nullEvaluatorGuess(text: string, options: readonly Option[]): string {
  const named = new Map<string, number>();
  const rejected = new Set<string>();
  for (const line of text.split('\n')) {
    for (const option of options) {
      if (!names(line, option)) continue;
      named.set(option.id, (named.get(option.id) ?? 0) + 1);
      if (REJECTING.test(line)) rejected.add(option.id);
    }
  }
  const favoured = [...named.entries()].filter(([id]) => !rejected.has(id)).sort((a, b) => b[1] - a[1]);
  if (favoured.length > 0) return favoured[0][0];
  const never = options.filter((o) => !named.has(o.id));
  if (never.length === 1 && rejected.size === options.length - 1) return never[0].id;
  return NO_DECISION;
}
