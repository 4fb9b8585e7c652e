/**
 * APX (ASPARTIX) framework format: `arg(a).` declares an argument, `att(a,b).` says a attacks b, `%`
 * starts a comment. Several statements may share a line; names may be ASP constants, integers or quoted
 * strings. An attack on a name never declared with `arg` is an error (reported at its first use).
 */
import { EdgeList } from '../edge-list.js';
import { SolverFormatError } from '../errors.js';
import type { Framework, FrameworkSource } from '../types.js';
import { NameTable } from './names.js';
import { forEachLine } from './text-lines.js';

const TERM = String.raw`([^\s,()."%]+|"(?:[^"\\]|\\.)*")`;
const STATEMENT = new RegExp(String.raw`\s*(arg|att)\s*\(\s*${TERM}\s*(?:,\s*${TERM}\s*)?\)\s*\.`, 'y');
const BLANK_OR_COMMENT = /\s*(%.*)?$/y;

function unquote(term: string): string {
  return term.startsWith('"') ? term.slice(1, -1).replace(/\\(.)/g, '$1') : term;
}

/**
 * Reads an APX framework from a string, a stream or chunks. Ids follow declaration order.
 * @param fileName used in error messages only (default `<input>`)
 * @throws SolverFormatError with the line: SOLVER_EMPTY_FILE, SOLVER_BAD_TOKEN, SOLVER_TRUNCATED_LINE,
 *   SOLVER_UNDECLARED_ARGUMENT, SOLVER_BINARY
 * Complexity O(bytes); names are held in a Map.
 */
export async function readApx(source: FrameworkSource, fileName = '<input>'): Promise<Framework> {
  const table = new NameTable();
  const edges = new EdgeList();
  let content = false;
  const lines = await forEachLine(source, fileName, (text, line) => {
    let pos = 0;
    while (pos < text.length) {
      BLANK_OR_COMMENT.lastIndex = pos;
      if (BLANK_OR_COMMENT.test(text)) {
        if (text.slice(pos).trim() !== '') content = true;
        return;
      }
      content = true;
      STATEMENT.lastIndex = pos;
      const m = STATEMENT.exec(text);
      if (m === null) fail(text.slice(pos).trim(), fileName, line);
      const [, kind, first, second] = m!;
      if (kind === 'arg') {
        if (second !== undefined) fail(text.slice(pos).trim(), fileName, line, 'arg(...) takes one name');
        table.declare(unquote(first), line);
      } else {
        if (second === undefined) fail(text.slice(pos).trim(), fileName, line, 'att(...) takes two names');
        edges.push(table.use(unquote(first), line), table.use(unquote(second!), line));
      }
      pos = STATEMENT.lastIndex;
    }
  });
  if (!content)
    throw new SolverFormatError(
      'SOLVER_EMPTY_FILE',
      fileName,
      Math.max(1, lines),
      'empty file: expected arg(...) and att(...) statements',
    );
  return table.build(edges, fileName, 'an argument with arg(...)');
}

function fail(rest: string, file: string, line: number, why?: string): never {
  const shown = JSON.stringify(rest.length > 40 ? `${rest.slice(0, 40)}…` : rest);
  if (why !== undefined)
    throw new SolverFormatError('SOLVER_BAD_TOKEN', file, line, `${why}, found ${shown}`);
  if (/^(arg|att)\s*\(/.test(rest)) {
    throw new SolverFormatError(
      'SOLVER_TRUNCATED_LINE',
      file,
      line,
      `incomplete statement ${shown}: expected arg(a). or att(a,b).`,
    );
  }
  throw new SolverFormatError(
    'SOLVER_BAD_TOKEN',
    file,
    line,
    `expected arg(a). or att(a,b)., found ${shown}`,
  );
}

function term(name: string): string {
  return /^(?:[a-z][A-Za-z0-9_]*|0|[1-9][0-9]*)$/.test(name) ? name : `"${name.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Writes a framework in APX. Names that are not plain ASP constants or integers are quoted.
 * The labelling is not part of the format. Complexity O(|A| + |R|).
 */
export function writeApx(af: Framework): string {
  const out: string[] = [];
  const terms = new Array<string>(af.count);
  for (let a = 0; a < af.count; a++) {
    terms[a] = term(af.nameOf(a).replace(/[\r\n]+/g, ' '));
    out.push(`arg(${terms[a]}).`);
  }
  for (let a = 0; a < af.count; a++) {
    for (let i = af.targetStart[a]; i < af.targetStart[a + 1]; i++)
      out.push(`att(${terms[a]},${terms[af.targets[i]]}).`);
  }
  if (out.length === 0) out.push('% argmed: empty framework');
  return `${out.join('\n')}\n`;
}
