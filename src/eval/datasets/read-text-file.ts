/**
 * Reads a dataset file as text, turning "no such file" and "is a directory" into a clear EvaluationError.
 */
import { readFile, stat } from 'node:fs/promises';
import { fieldIssueOf, issuesText, type ZodIssueLike } from '../../../schemes/field-issues.js';
import { EvaluationError } from '../errors.js';

/**
 * Reads the whole file as UTF-8, without the byte order mark some editors write first (it is not JSON).
 * @throws EvaluationError `ARGMED_EVAL_FILE_NOT_FOUND` when the path does not name a readable file.
 */
export async function readTextFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new EvaluationError('ARGMED_EVAL_FILE_NOT_FOUND', `dataset file not found: ${path}`);
  if (!info.isFile()) throw new EvaluationError('ARGMED_EVAL_FILE_NOT_FOUND', `not a file: ${path}`);
  return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
}

/** Splits JSONL text into numbered non-blank lines (1-based line numbers as an editor shows them). */
export function numberedLines(text: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() !== '') out.push({ line: index + 1, text: line });
  });
  return out;
}

/** The first message of a zod error or any thrown value, short enough for a problem line. */
export function describeProblem(error: unknown): string {
  // JSON.parse quotes the broken text, which may be patient content: say where, not what.
  if (error instanceof SyntaxError) return 'not valid JSON';
  if (typeof error === 'object' && error !== null && 'issues' in error) {
    const issue = (error as { issues: ZodIssueLike[] }).issues[0];
    if (issue) return issuesText([fieldIssueOf(issue, 'record')]);
  }
  return error instanceof Error ? error.message : String(error);
}
