/**
 * ICCMA 2023 framework format: a header `p af N`, then one attack `i j` a line (ids 1..N), `#` comments
 * anywhere; arguments 1..N exist even when no attack names them. The reader is a hand-written byte
 * parser over the stream's chunks: it never builds one big string, and the attack lines (millions in
 * competition files) go through a tight loop of integer parsing without allocation.
 */
import { isUtf8 } from 'node:buffer';
import { EdgeList } from '../edge-list.js';
import { SolverFormatError, type SolverErrorCode } from '../errors.js';
import { frameworkFromEdges } from '../framework.js';
import type { Framework, FrameworkSource, ReadOptions } from '../types.js';
import { byteChunks } from './chunks.js';

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const ZERO = 48;
const NINE = 57;

/** Parser state across chunks; `parseLine` handles one newline-terminated line. */
class IccmaParser {
  line = 0;
  declared = -1;
  sawContent = false;
  edges: EdgeList;

  constructor(
    readonly file: string,
    private readonly sizeHint?: number,
    private readonly maxArguments = 0xfffffffe,
  ) {
    this.edges = new EdgeList(16);
  }

  fail(code: SolverErrorCode, detail: string): never {
    throw new SolverFormatError(code, this.file, this.line, detail);
  }

  /** Parses the line starting at `s` (a newline is guaranteed before the buffer's end); returns the next line's start. */
  parseLine(buf: Uint8Array, s: number): number {
    this.line++;
    let p = s;
    let c = buf[p];
    while (c === SPACE || c === TAB) c = buf[++p];
    if (c >= ZERO && c <= NINE) {
      let from = c - ZERO;
      c = buf[++p];
      while (c >= ZERO && c <= NINE) {
        from = from * 10 + c - ZERO;
        c = buf[++p];
      }
      if (c !== SPACE && c !== TAB) return this.badAttack(buf, s, p);
      while (c === SPACE || c === TAB) c = buf[++p];
      if (c < ZERO || c > NINE) return this.badAttack(buf, s, p);
      let to = c - ZERO;
      c = buf[++p];
      while (c >= ZERO && c <= NINE) {
        to = to * 10 + c - ZERO;
        c = buf[++p];
      }
      const idsEnd = p;
      while (c === SPACE || c === TAB || c === CR) c = buf[++p];
      if (c !== NL) {
        if (c !== HASH) return this.badAttack(buf, s, p);
        p = buf.indexOf(NL, p);
      }
      const n = this.declared;
      if (n < 0) this.fail('SOLVER_HEADER_MISSING', 'attack line before the header "p af N"');
      if (from < 1 || from > n || to < 1 || to > n) {
        // The ids as written: past 2^53 the parsed numbers are rounded floats, not what the file says.
        const [first, second] = Buffer.from(buf.buffer, buf.byteOffset + s, idsEnd - s)
          .toString('latin1')
          .trim()
          .split(/\s+/);
        this.fail('SOLVER_ID_OUT_OF_RANGE', `attack "${first} ${second}" names an argument outside 1..${n}`);
      }
      this.edges.push(from - 1, to - 1);
      return p + 1;
    }
    const end = buf.indexOf(NL, p);
    if (c === NL || (c === CR && end === p + 1)) return end + 1;
    this.checkText(buf, s, end);
    this.sawContent = true;
    if (c === HASH) return end + 1;
    const text = Buffer.from(buf.buffer, buf.byteOffset + p, end - p)
      .toString('utf8')
      .trim();
    if (c === 0x70 /* p */) this.header(text);
    else
      this.fail(
        'SOLVER_BAD_TOKEN',
        `expected an attack "i j", a "#" comment or the header "p af N", found ${quote(text)}`,
      );
    return end + 1;
  }

  /** The slow path of an attack line that does not match `i j`: says precisely what is wrong. */
  badAttack(buf: Uint8Array, s: number, _p: number): never {
    const end = buf.indexOf(NL, s);
    this.checkText(buf, s, end);
    const text = Buffer.from(buf.buffer, buf.byteOffset + s, end - s)
      .toString('utf8')
      .trim();
    const tokens = text.split('#')[0].trim().split(/\s+/);
    if (tokens.length === 1 && /^[0-9]+$/.test(tokens[0])) {
      this.fail('SOLVER_TRUNCATED_LINE', `truncated attack line ${quote(text)}: expected two ids "i j"`);
    }
    const bad = tokens.find((t) => !/^[0-9]+$/.test(t));
    if (bad !== undefined)
      this.fail('SOLVER_BAD_TOKEN', `${quote(bad)} is not an argument id (a positive integer)`);
    return this.fail(
      'SOLVER_BAD_TOKEN',
      `expected two ids "i j", found ${tokens.length} tokens in ${quote(text)}`,
    );
  }

  checkText(buf: Uint8Array, s: number, end: number): void {
    for (let i = s; i < end; i++) {
      const b = buf[i];
      if ((b < SPACE && b !== TAB && b !== CR) || b === 0x7f) {
        this.fail('SOLVER_BINARY', 'binary data: this is not an ICCMA text file');
      }
    }
    if (!isUtf8(buf.subarray(s, end)))
      this.fail('SOLVER_BINARY', 'binary data: the bytes are not UTF-8 text');
  }

  header(text: string): void {
    const tokens = text.split(/\s+/);
    if (tokens[0] !== 'p' || tokens[1] !== 'af' || tokens.length !== 3 || !/^[0-9]+$/.test(tokens[2])) {
      this.fail(
        'SOLVER_HEADER_INVALID',
        `expected the header "p af N" (N the number of arguments), found ${quote(text)}`,
      );
    }
    if (this.declared >= 0)
      this.fail('SOLVER_HEADER_REPEATED', 'second "p af N" header; a file declares its arguments once');
    const n = Number(tokens[2]);
    if (n > 0xfffffffe) this.fail('SOLVER_HEADER_INVALID', `${n} arguments is more than the solver supports`);
    if (n > this.maxArguments) {
      this.fail(
        'SOLVER_TOO_MANY_ARGUMENTS',
        `${n} arguments declared; at most ${this.maxArguments} are accepted here`,
      );
    }
    this.declared = n;
    // An attack line takes at least 4 bytes, so the file size bounds the attack count: with a size hint the
    // arrays never grow up to 2^26 attacks (untouched pages of a large typed array cost address space, not memory).
    const bound = this.sizeHint === undefined ? 1 << 16 : Math.ceil(this.sizeHint / 4) + 16;
    this.edges = new EdgeList(Math.min(bound, 1 << 26));
  }

  /**
   * Parses every complete line in buf[start, limit) where buf[limit-1] is a newline. Plain `i j` lines
   * take the inlined fast path below (locals only, no call); anything else goes through parseLine.
   */
  parseLines(buf: Uint8Array, start: number, limit: number): void {
    let edges = this.edges;
    let pairs = edges.pairs;
    let m = edges.length;
    let line = this.line;
    let n = this.declared;
    let p = start;
    while (p < limit) {
      const lineStart = p;
      // d is a byte minus '0': `d >>> 0 < 10` tests for a digit with one unsigned compare instead of two.
      let d = buf[p] - ZERO;
      if (n >= 0 && d >>> 0 < 10) {
        let a = d;
        d = buf[++p] - ZERO;
        while (d >>> 0 < 10) {
          a = a * 10 + d;
          d = buf[++p] - ZERO;
        }
        let b = d === SPACE - ZERO ? buf[++p] - ZERO : -1;
        if (b >>> 0 < 10) {
          d = buf[++p] - ZERO;
          while (d >>> 0 < 10) {
            b = b * 10 + d;
            d = buf[++p] - ZERO;
          }
          if (d === NL - ZERO && a >= 1 && a <= n && b >= 1 && b <= n) {
            if (2 * m === pairs.length) {
              edges.length = m;
              edges.reserve(m + 1);
              pairs = edges.pairs;
            }
            pairs[2 * m] = a - 1;
            pairs[2 * m + 1] = b - 1;
            m++;
            line++;
            p++;
            continue;
          }
        }
      }
      // Not a plain attack line: the general path parses it or reports what is wrong.
      edges.length = m;
      this.line = line;
      p = this.parseLine(buf, lineStart);
      line = this.line;
      n = this.declared;
      edges = this.edges;
      pairs = edges.pairs;
      m = edges.length;
    }
    edges.length = m;
    this.line = line;
  }

  finish(): { count: number; edges: EdgeList } {
    if (this.declared < 0) {
      if (!this.sawContent) {
        this.line = 1;
        this.fail('SOLVER_EMPTY_FILE', 'empty file: expected the header "p af N"');
      }
      this.line = Math.max(1, this.line);
      this.fail('SOLVER_HEADER_MISSING', 'no "p af N" header in the file');
    }
    return { count: this.declared, edges: this.edges };
  }
}

function quote(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/**
 * Reads an ICCMA 2023 framework (`p af N`, `i j` lines, `#` comments) from a string, a stream or chunks.
 * Argument i of the file is id i-1; names are "1".."N".
 * @param fileName used in error messages only (default `<input>`)
 * @param options `sizeHint`: the source's size in bytes when known (a file), to size the arrays once;
 *   `maxArguments`: the largest N accepted in the header
 * @throws SolverFormatError with the line and a stable code: SOLVER_EMPTY_FILE, SOLVER_HEADER_MISSING,
 *   SOLVER_HEADER_REPEATED, SOLVER_HEADER_INVALID, SOLVER_TOO_MANY_ARGUMENTS, SOLVER_ID_OUT_OF_RANGE, SOLVER_BAD_TOKEN,
 *   SOLVER_TRUNCATED_LINE, SOLVER_BINARY
 * Complexity O(bytes + N); memory about 24 bytes an attack at the peak of building the rows.
 */
export async function readIccma(
  source: FrameworkSource,
  fileName = '<input>',
  options: ReadOptions = {},
): Promise<Framework> {
  const { count, edges } = await readIccmaEdges(source, fileName, options);
  return frameworkFromEdges(count, edges);
}

/**
 * The parsing half of {@link readIccma}: the declared argument count and the attacks as read (ids
 * checked, duplicates kept), before the rows are built. `bench:solver` times the two halves apart.
 * @throws as {@link readIccma}
 */
export async function readIccmaEdges(
  source: FrameworkSource,
  fileName = '<input>',
  options: ReadOptions = {},
): Promise<{ count: number; edges: EdgeList }> {
  const parser = new IccmaParser(fileName, options.sizeHint, options.maxArguments);
  let carry: Uint8Array | undefined;
  for await (const chunk of byteChunks(source)) {
    let start = 0;
    if (carry !== undefined) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const joined = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
      parser.parseLines(joined, 0, joined.length);
      start = nl + 1;
      carry = undefined;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= start) parser.parseLines(chunk, start, last + 1);
    if (last + 1 < chunk.length) carry = Buffer.from(chunk.subarray(Math.max(start, last + 1)));
  }
  if (carry !== undefined && carry.length > 0) {
    const joined = Buffer.concat([carry, Buffer.from([NL])]);
    parser.parseLines(joined, 0, joined.length);
  }
  return parser.finish();
}

/**
 * Writes a framework in ICCMA 2023 format. Names that are not the ids 1..N are kept as `# i name`
 * comment lines after the header, which readers ignore. The labelling is not part of the format.
 * Complexity O(|A| + |R|).
 */
export function writeIccma(af: Framework): string {
  const out: string[] = [`p af ${af.count}`];
  if (!af.numericNames) {
    for (let a = 0; a < af.count; a++) out.push(`# ${a + 1} ${af.nameOf(a).replace(/[\r\n]+/g, ' ')}`);
  }
  for (let a = 0; a < af.count; a++) {
    for (let i = af.targetStart[a]; i < af.targetStart[a + 1]; i++) out.push(`${a + 1} ${af.targets[i] + 1}`);
  }
  return `${out.join('\n')}\n`;
}
