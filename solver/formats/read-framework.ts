/**
 * Reads a framework in any supported format: the single entry point for the CLI and the HTTP API.
 */
import { SolverFormatError } from '../errors.js';
import type { Framework, FrameworkSource, ReadableFormat, ReadOptions } from '../types.js';
import { readApx } from './apx.js';
import { readIccma } from './iccma.js';
import { isReadableFormat } from './infer-format.js';
import { readTgf } from './tgf.js';

/**
 * Reads a framework from the whole text (string), a Node readable stream, or an async iterable of chunks.
 * @param format `i23` (ICCMA 2023), `apx` or `tgf`
 * @param fileName used in error messages (`FILE:LINE: ...`), default `<input>`
 * @param options `sizeHint`: the source's size in bytes, when known
 * @throws SolverFormatError (see each reader for its codes), SOLVER_FORMAT_UNKNOWN for another format
 * @example await readFramework('p af 2\n1 2\n', 'i23')
 */
export async function readFramework(
  source: FrameworkSource,
  format: ReadableFormat,
  fileName = '<input>',
  options: ReadOptions = {},
): Promise<Framework> {
  if (!isReadableFormat(format)) {
    throw new SolverFormatError(
      'SOLVER_FORMAT_UNKNOWN',
      fileName,
      0,
      `unknown format ${JSON.stringify(format)} (use i23, apx or tgf)`,
    );
  }
  if (format === 'i23') return readIccma(source, fileName, options);
  if (format === 'apx') return readApx(source, fileName);
  return readTgf(source, fileName);
}
