/**
 * Typed errors of the solver. Every error carries a stable `code` from {@link SOLVER_ERROR_CODES} so a
 * caller (CLI, HTTP API) maps it once to an exit status or an HTTP problem without parsing messages.
 */

/** Every code a solver error can carry, with what it means. */
export const SOLVER_ERROR_CODES = {
  SOLVER_ARG_OUT_OF_RANGE: 'an argument id is outside 0..count-1',
  SOLVER_BAD_COUNT: 'the number of arguments is not a non-negative integer',
  SOLVER_NOT_IN: 'a justification was asked for an argument that is not IN',
  SOLVER_UNWRITABLE_NAME: 'an argument name cannot be written in the requested format',
  SOLVER_FORMAT_UNKNOWN: 'the file format is not one the solver reads',
  SOLVER_FILE_NOT_FOUND: 'the file does not exist or cannot be read',
  SOLVER_EMPTY_FILE: 'the file contains no framework',
  SOLVER_HEADER_MISSING: 'an ICCMA file lacks its "p af N" header',
  SOLVER_HEADER_REPEATED: 'an ICCMA file has a second "p af N" header',
  SOLVER_HEADER_INVALID: 'an ICCMA header is not "p af N" with N a non-negative integer',
  SOLVER_TOO_MANY_ARGUMENTS:
    'the framework declares more arguments than the caller accepts (ReadOptions.maxArguments)',
  SOLVER_ID_OUT_OF_RANGE: 'an attack names an ICCMA id outside 1..N',
  SOLVER_BAD_TOKEN: 'a token is not what the format allows there (for example not an integer)',
  SOLVER_TRUNCATED_LINE: 'a line ends before its statement is complete',
  SOLVER_UNDECLARED_ARGUMENT: 'an attack names an argument that is never declared',
  SOLVER_BINARY: 'the file contains bytes that are not text',
} as const;

/** A stable solver error code. */
export type SolverErrorCode = keyof typeof SOLVER_ERROR_CODES;

/** Base class of every error the solver throws on purpose. */
export class SolverError extends Error {
  /** Stable machine-readable code. */
  readonly code: SolverErrorCode;

  constructor(code: SolverErrorCode, message: string) {
    super(message);
    this.name = 'SolverError';
    this.code = code;
  }
}

/** An argument id outside the framework; a RangeError in spirit, typed with a code. */
export class SolverRangeError extends SolverError {
  constructor(message: string) {
    super('SOLVER_ARG_OUT_OF_RANGE', message);
    this.name = 'SolverRangeError';
  }
}

/**
 * A problem in a framework file. `line` is 1-based (0 when the problem concerns the whole file, such as a
 * file that cannot be opened); `format()` renders the `FILE:LINE: what is wrong` form the CLI prints.
 */
export class SolverFormatError extends SolverError {
  /** The file name given to the reader (or `<input>`). */
  readonly file: string;
  /** 1-based line number of the problem, 0 for the whole file. */
  readonly line: number;
  /** What is wrong, without the location prefix. */
  readonly detail: string;

  constructor(code: SolverErrorCode, file: string, line: number, detail: string) {
    super(code, `${file}:${line}: ${detail}`);
    this.name = 'SolverFormatError';
    this.file = file;
    this.line = line;
    this.detail = detail;
  }
}
