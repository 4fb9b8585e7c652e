/**
 * The loop every JSONL dataset shares: one record a line, each turned into an item by the format's own
 * function; a malformed or repeated record is reported with its line number and skipped.
 */
import type { DatasetProblem, EvalItem, LoadedDataset } from '../types.js';
import { describeProblem, numberedLines, readTextFile } from './read-text-file.js';

/**
 * Reads a JSONL file into items.
 * @param toItem builds one item from a parsed record; throws (zod or Error) to reject it.
 * @param keyField the field named when two records share a key (e.g. `id`, `realidx`).
 * @throws EvaluationError when the file is missing. O(lines).
 */
export async function loadJsonlItems(
  path: string,
  toItem: (record: unknown, line: number) => EvalItem,
  keyField: string,
): Promise<LoadedDataset> {
  const items: EvalItem[] = [];
  const problems: DatasetProblem[] = [];
  const seen = new Set<string>();
  for (const { line, text } of numberedLines(await readTextFile(path))) {
    try {
      const item = toItem(JSON.parse(text), line);
      if (seen.has(item.key)) throw new Error(`${keyField}: duplicate id "${item.key}"`);
      seen.add(item.key);
      items.push(item);
    } catch (error) {
      problems.push({ line, message: describeProblem(error) });
    }
  }
  return { items, problems, total: items.length };
}
