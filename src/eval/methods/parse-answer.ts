/**
 * Reads the answer out of a model's free text, robustly: an explicit "Answer: X" line first, then a bare
 * option id ("B", "(B)", "B."), then an option's text, then yes/no/maybe for that question type. Anything
 * else is unparseable (`parsedBy: 'none'`), which the metrics count as wrong and record.
 */
import type { Option } from '../../../agents/case.js';

export interface ParsedAnswer {
  answer?: string;
  parsedBy: 'letter' | 'text' | 'label' | 'none';
}

const ANSWER_LINE = /(?:final answer|answer|decision)\s*(?:is|:)\s*[:-]?\s*(.+)/gi;

function norm(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** An option id written alone: "B", "(B)", "B.", "B)", "**B**", "Option B", "3". */
function idIn(fragment: string, options: readonly Option[]): string | undefined {
  const m = /^[\s*("'[]*(?:option\s+)?([A-Za-z0-9]{1,3})[\s*)"'\].:,]*(?:\s|$)/i.exec(fragment);
  if (!m) return undefined;
  const word = m[1].toLowerCase();
  const hit = options.find((o) => o.id.toLowerCase() === word);
  // "a" is also an English article: only trust a lower-case single letter when the whole fragment is that letter.
  if (hit && /^[a-z]$/.test(m[1]) && norm(fragment) !== word) return undefined;
  return hit?.id;
}

/** The option whose whole text appears in the fragment (the longest, so "X and Y" beats "X"). */
function textIn(fragment: string, options: readonly Option[]): string | undefined {
  const f = ` ${norm(fragment)} `;
  const hits = options.filter((o) => norm(o.text) !== '' && f.includes(` ${norm(o.text)} `));
  hits.sort((a, b) => norm(b.text).length - norm(a.text).length);
  return hits[0]?.id;
}

function readFragment(fragment: string, options: readonly Option[]): ParsedAnswer {
  const id = idIn(fragment, options);
  if (id !== undefined) return { answer: id, parsedBy: options.every((o) => o.id === o.text) ? 'label' : 'letter' };
  const text = textIn(fragment, options);
  if (text !== undefined) return { answer: text, parsedBy: options.every((o) => o.id === o.text) ? 'label' : 'text' };
  return { parsedBy: 'none' };
}

/**
 * Parses the answer of a completion.
 * @param text the model's full answer
 * @param options the candidate options (yes/no/maybe options for PubMedQA-style questions)
 * @returns the option id and how it was found; `{ parsedBy: 'none' }` when nothing fits. O(|text| · |options|).
 */
export function parseAnswer(text: string, options: readonly Option[]): ParsedAnswer {
  const trimmed = text.trim();
  if (trimmed === '') return { parsedBy: 'none' };
  // 1. The last explicit answer statement wins (models restate the question's options before answering).
  const statements = [...trimmed.matchAll(ANSWER_LINE)].map((m) => m[1]);
  for (const statement of statements.reverse()) {
    const parsed = readFragment(statement.split('\n')[0], options);
    if (parsed.answer !== undefined) return parsed;
  }
  // 2. A short answer: the whole text (or its last line) is the option.
  const lines = trimmed.split('\n').filter((l) => l.trim() !== '');
  for (const candidate of [trimmed, lines[lines.length - 1]]) {
    if (candidate.length > 200) continue;
    const id = idIn(candidate, options);
    if (id !== undefined && norm(candidate).split(' ').length <= 3) return readFragment(candidate, options);
    const parsed = textIn(candidate, options);
    if (parsed !== undefined) return readFragment(candidate, options);
  }
  return { parsedBy: 'none' };
}

/** The reasoning without its final answer statement: what the evaluator may read. */
export function stripAnswer(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\W*(?:final answer|answer|decision)\s*(?:is|:)/i.test(line.trim()))
    .join('\n')
    .trim();
}
