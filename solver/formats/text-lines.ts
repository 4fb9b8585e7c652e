/**
 * Splits a streamed source into text lines for the line-oriented formats (APX, TGF). Decoding is
 * streaming and strict UTF-8; control bytes and invalid UTF-8 are reported as binary data with the line
 * where they appear, so a reader never tries to parse garbage.
 */
import { SolverFormatError } from '../errors.js';
import type { FrameworkSource } from '../types.js';
import { byteChunks } from './chunks.js';

// Control characters other than tab, CR and LF never occur in a text framework file.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;

/**
 * Calls `onLine(text, lineNumber)` for every line of `source` (1-based numbers, trailing CR removed).
 * @returns the number of lines seen (0 for an empty source)
 * @throws SolverFormatError SOLVER_BINARY on control bytes or invalid UTF-8; whatever `onLine` throws
 */
export async function forEachLine(
  source: FrameworkSource,
  file: string,
  onLine: (text: string, line: number) => void,
): Promise<number> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  let line = 0;
  const emit = (text: string): void => {
    line++;
    const clean = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (CONTROL.test(clean)) {
      throw new SolverFormatError(
        'SOLVER_BINARY',
        file,
        line,
        'binary data: this is not a text framework file',
      );
    }
    onLine(clean, line);
  };
  const decode = (bytes: Uint8Array | undefined): string => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      throw new SolverFormatError(
        'SOLVER_BINARY',
        file,
        line + 1,
        'binary data: the bytes are not UTF-8 text',
      );
    }
  };
  for await (const chunk of byteChunks(source)) {
    const text = carry + decode(chunk);
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      emit(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    carry = text.slice(start);
  }
  const rest = carry + decode(undefined);
  if (rest.length > 0) emit(rest);
  return line;
}
