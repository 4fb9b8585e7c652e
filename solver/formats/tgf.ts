/**
 * Trivial Graph Format: one node a line (`id` then an optional label, ignored), a line `#`, then one
 * edge a line (`from to` then an optional label, ignored). Node ids are the argument names. An edge on
 * an id never listed before `#` is an error.
 */
import { EdgeList } from '../edge-list.js';
import { SolverError, SolverFormatError } from '../errors.js';
import type { Framework, FrameworkSource } from '../types.js';
import { NameTable } from './names.js';
import { forEachLine } from './text-lines.js';

/**
 * Reads a TGF framework from a string, a stream or chunks. Ids follow node order.
 * @param fileName used in error messages only (default `<input>`)
 * @throws SolverFormatError with the line: SOLVER_EMPTY_FILE, SOLVER_TRUNCATED_LINE,
 *   SOLVER_UNDECLARED_ARGUMENT, SOLVER_BINARY
 * Complexity O(bytes).
 */
export async function readTgf(source: FrameworkSource, fileName = '<input>'): Promise<Framework> {
  const table = new NameTable();
  const edges = new EdgeList();
  let inEdges = false;
  let content = false;
  const lines = await forEachLine(source, fileName, (text, line) => {
    const trimmed = text.trim();
    if (trimmed === '') return;
    content = true;
    if (trimmed === '#') {
      inEdges = true;
      return;
    }
    const tokens = trimmed.split(/\s+/);
    if (!inEdges) {
      table.declare(tokens[0], line);
      return;
    }
    if (tokens.length < 2) {
      throw new SolverFormatError(
        'SOLVER_TRUNCATED_LINE',
        fileName,
        line,
        `truncated edge line ${JSON.stringify(trimmed)}: expected "from to"`,
      );
    }
    edges.push(table.use(tokens[0], line), table.use(tokens[1], line));
  });
  if (!content)
    throw new SolverFormatError(
      'SOLVER_EMPTY_FILE',
      fileName,
      Math.max(1, lines),
      'empty file: expected node lines, "#", then edge lines',
    );
  return table.build(edges, fileName, 'a node before "#"');
}

/**
 * Writes a framework in TGF, argument names as node ids. The labelling is not part of the format.
 * @throws SolverError SOLVER_UNWRITABLE_NAME for an empty name, a name with whitespace, or "#"
 * Complexity O(|A| + |R|).
 */
export function writeTgf(af: Framework): string {
  const out: string[] = [];
  for (let a = 0; a < af.count; a++) {
    const name = af.nameOf(a);
    if (name === '' || name === '#' || /\s/.test(name)) {
      throw new SolverError(
        'SOLVER_UNWRITABLE_NAME',
        `solver/formats/tgf: argument name ${JSON.stringify(name)} cannot be a TGF node id`,
      );
    }
    out.push(name);
  }
  out.push('#');
  for (let a = 0; a < af.count; a++) {
    for (let i = af.targetStart[a]; i < af.targetStart[a + 1]; i++)
      out.push(`${af.nameOf(a)} ${af.nameOf(af.targets[i])}`);
  }
  return `${out.join('\n')}\n`;
}
