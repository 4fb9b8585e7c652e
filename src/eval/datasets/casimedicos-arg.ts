/**
 * CasiMedicos-Arg (EN): MIR exam cases whose doctors' explanations are annotated with Claim/Premise spans
 * and Support/Attack relations. Each record (`{id, text: tokens[][], labels: tags[][]}`, a JSON list or
 * JSONL) holds "CLINICAL CASE:", the case sentences, the question, options "1- ...", "CORRECT ANSWER: n"
 * and the explanation. The case sentences become facts, the explanation the reference text, and the
 * annotated spans with the relations file (`../relations/en/<split>_relations.jsonl`, spans given as text)
 * the reference explanation graph. Relations whose span text matches no component are dropped.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { CaseSchema } from '../../../agents/case.js';
import { EvaluationError } from '../errors.js';
import type { DatasetProblem, EvalItem, LoadedDataset, ReferenceGraph } from '../types.js';
import { describeProblem, numberedLines, readTextFile } from './read-text-file.js';

const CasiRecordSchema = z
  .object({ id: z.string().min(1), text: z.array(z.array(z.string())), labels: z.array(z.array(z.string())) })
  .refine((r) => r.text.length === r.labels.length && r.text.every((t, i) => t.length === r.labels[i].length), {
    message: 'text and labels are not parallel',
  });

type Relation = [string, string, string];

/** Lower-case words only: span texts in the relations file differ from tokens in punctuation and `\n`. */
export function normaliseSpan(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function spans(tokens: string[], tags: string[]): Array<{ kind: 'claim' | 'premise'; text: string }> {
  const out: Array<{ kind: 'claim' | 'premise'; text: string[] }> = [];
  tags.forEach((tag, index) => {
    const m = /^([BI])-(Claim|Premise)$/.exec(tag);
    if (!m) return;
    const kind = m[2] === 'Claim' ? 'claim' : 'premise';
    const last = out[out.length - 1];
    if (m[1] === 'I' && last && last.kind === kind) last.text.push(tokens[index]);
    else out.push({ kind, text: [tokens[index]] });
  });
  return out.map((s) => ({ kind: s.kind, text: s.text.join(' ') }));
}

/**
 * Turns one record (and its relations, if any) into an item, or throws with the reason.
 * @param relations the `[source text, target text, "Support"|"Attack"]` triples of this case.
 */
export function casimedicosItem(record: unknown, relations: Relation[] = []): EvalItem {
  const r = CasiRecordSchema.parse(record);
  const lines = r.text.map((tokens) => tokens.join(' ').trim());
  const caseStart = lines.findIndex((l) => /^CLINICAL CASE:?$/i.test(l));
  const answerLine = lines.findIndex((l) => /^CORRECT ANSWER:\s*\d+/i.test(l));
  // Options are the numbered lines right above the answer line ("18-year-old ..." case lines also start with digits).
  let firstOption = answerLine;
  while (firstOption - 1 > caseStart && /^\d+\s*-\s*\S/.test(lines[firstOption - 1])) firstOption--;
  if (firstOption === answerLine) firstOption = -1;
  if (caseStart < 0 || answerLine < 0 || firstOption < 0 || firstOption - 1 <= caseStart) {
    throw new Error('expected "CLINICAL CASE:", a question, options "1- ..." and "CORRECT ANSWER: n"');
  }
  const options: Array<{ id: string; text: string }> = [];
  for (let i = firstOption; i < answerLine; i++) {
    const m = /^(\d+)\s*-\s*(.+)$/.exec(lines[i]);
    // Four-option cases carry a placeholder fifth option "nan".
    if (m && m[2].trim().toLowerCase() !== 'nan') options.push({ id: m[1], text: m[2].trim() });
  }
  const answer = /^CORRECT ANSWER:\s*(\d+)/i.exec(lines[answerLine])![1];
  if (!options.some((o) => o.id === answer)) throw new Error(`CORRECT ANSWER ${answer} is not one of the options`);
  const key = r.id.replace(/_en$/, '');
  const kase = CaseSchema.parse({
    id: key,
    facts: lines.slice(caseStart + 1, firstOption - 1).filter(Boolean),
    question: lines[firstOption - 1],
    questionType: 'choice',
    options,
  });
  const explanation = lines.slice(answerLine + 1).filter(Boolean).join('\n');
  return {
    key,
    case: kase,
    answer,
    reference: explanation || undefined,
    referenceGraph: referenceGraph(r.text, r.labels, answerLine, relations),
  };
}

function referenceGraph(text: string[][], labels: string[][], answerLine: number, relations: Relation[]): ReferenceGraph {
  const components: ReferenceGraph['components'] = [];
  text.forEach((tokens, line) => {
    for (const span of spans(tokens, labels[line])) {
      // Claims before the answer line are the options themselves: kept so relations can point at them.
      const kind = span.kind === 'claim' && line < answerLine ? 'option' : span.kind;
      components.push({ id: `${kind[0]}${components.length + 1}`, kind, text: span.text });
    }
  });
  const byText = new Map(components.map((c) => [normaliseSpan(c.text), c.id]));
  const find = (spanText: string): string | undefined => {
    const wanted = normaliseSpan(spanText);
    return byText.get(wanted) ?? components.find((c) => normaliseSpan(c.text).includes(wanted))?.id;
  };
  const graphRelations: ReferenceGraph['relations'] = [];
  for (const [source, target, type] of relations) {
    const from = find(source);
    const to = find(target);
    if (from && to) graphRelations.push({ from, to, type: type.toLowerCase() === 'attack' ? 'attack' : 'support' });
  }
  return { components, relations: graphRelations };
}

/** The relations file of a data file: `<root>/relations/en/<split>_relations.jsonl`, if it exists. */
export function relationsPathFor(path: string): string | undefined {
  const split = /^(train|validation|dev|test)/.exec(basename(path))?.[1];
  if (!split) return undefined;
  const candidate = join(dirname(path), '..', 'relations', 'en', `${split}_relations.jsonl`);
  return existsSync(candidate) ? candidate : undefined;
}

async function loadRelations(path: string | undefined): Promise<Map<string, Relation[]>> {
  const map = new Map<string, Relation[]>();
  if (!path) return map;
  for (const { text } of numberedLines(await readTextFile(path))) {
    try {
      // Most lines are {id: [...]}; some are [{id: []}] for cases without relations.
      const value = JSON.parse(text) as unknown;
      const entries = Array.isArray(value) ? value : [value];
      for (const entry of entries) {
        for (const [id, rels] of Object.entries(entry as Record<string, unknown>)) {
          if (Array.isArray(rels)) map.set(id.replace(/_en$/, ''), rels as Relation[]);
        }
      }
    } catch {
      // A broken relations line only costs that case its reference relations.
    }
  }
  return map;
}

/**
 * Reads a CasiMedicos-Arg file (a JSON list, or JSONL) with its relations file when found beside it.
 * Malformed records are reported (line or index) and skipped.
 * @throws EvaluationError when the file is missing or unreadable as JSON/JSONL. O(tokens).
 */
export async function loadCasimedicos(path: string, relationsPath = relationsPathFor(path)): Promise<LoadedDataset> {
  const text = await readTextFile(path);
  const relations = await loadRelations(relationsPath);
  const records: Array<{ line: number; parse: () => unknown }> = text.trimStart().startsWith('[')
    ? parseList(text, path).map((value, index) => ({ line: index + 1, parse: () => value }))
    : numberedLines(text).map(({ line, text: raw }) => ({ line, parse: () => JSON.parse(raw) }));
  const items: EvalItem[] = [];
  const problems: DatasetProblem[] = [];
  for (const { line, parse } of records) {
    try {
      const value = parse() as { id?: unknown };
      const id = typeof value?.id === 'string' ? value.id.replace(/_en$/, '') : '';
      items.push(casimedicosItem(value, relations.get(id)));
    } catch (error) {
      problems.push({ line, message: describeProblem(error) });
    }
  }
  return { items, problems, total: items.length };
}

function parseList(text: string, path: string): unknown[] {
  try {
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new EvaluationError('ARGMED_EVAL_BAD_FILE', `${path} is neither a JSON list of cases nor JSONL`);
}
