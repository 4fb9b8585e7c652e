/**
 * Reads a JSON solve body in one pass over its text, straight into names and typed attack arrays: no
 * JSON.parse tree (an array and two strings an attack), no name map of strings (attack names are looked up
 * by a hash of their characters, computed while scanning, in a table of argument ids), no validation pass.
 * Why it exists, measured on the whole route (`npm run bench:api`, which runs the same 200-argument framework
 * through the scanner and through the general path; 2026-12-04, load 1.7-4.1): server CPU a request 0.33-0.36
 * ms with it against 0.44-0.45 ms without (three alternating runs), 0.22 against 0.35 ms (0.63x) within one
 * run; without it the route's throughput target (solve / healthz >= 0.30) was missed in all three runs
 * (0.17-0.25, against 0.30-0.32 with it). Remove it when that gain is gone.
 *
 * It reads a subset of JSON: the object `{"arguments":[...],"attacks":[[..,..],...],"explain":[...]}`
 * (`explain` optional, any order of keys but `arguments` before `attacks`, any JSON whitespace), strings
 * without escapes. Whatever it does not read, and every body that is wrong (invalid JSON, a field of the
 * wrong type, an unknown, empty, too long or repeated name, a limit passed), it leaves to the general path
 * (JSON.parse, the schema, `frameworkFromJson`), which accepts it or words the error. So it never accepts a
 * body the general path refuses, and what it accepts reads the same (a test compares both on random texts).
 */
import { EdgeList } from '../../../solver/index.js';
import { MAX_ARGUMENTS, MAX_ATTACKS, MAX_EXPLAIN, MAX_NAME } from './schemas.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

// 32-bit FNV-1a over UTF-16 code units.
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** A JSON framework read by {@link scanSolveJson}: the argument names, the attacks over their ids. */
export class ScannedSolveJson {
  constructor(
    readonly names: string[],
    readonly edges: EdgeList,
    readonly explain: string[] | undefined,
    /**
     * No name holds a character JSON.stringify escapes (quote, backslash and control characters never
     * pass the scanner; this says no surrogate did either), so a name in quotes is its JSON.
     */
    readonly plainNames: boolean,
  ) {}
}

/** The text and a cursor; `string()` leaves the span and hash of the string it read. */
class Scanner {
  pos = 0;
  start = 0;
  end = 0;
  hash = 0;
  /** Some string read so far holds a UTF-16 surrogate (a lone one would need escaping in JSON). */
  surrogates = false;
  constructor(readonly text: string) {}

  /** Skips JSON whitespace; the next character code, or -1 at the end. */
  peek(): number {
    const text = this.text;
    let pos = this.pos;
    let c = pos < text.length ? text.charCodeAt(pos) : -1;
    // Compact JSON has no whitespace: one read, one comparison in the usual case.
    if (c > 0x20) return c;
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      pos++;
      c = pos < text.length ? text.charCodeAt(pos) : -1;
    }
    this.pos = pos;
    return c;
  }

  /** Consumes `code` (after whitespace) when it comes next. */
  take(code: number): boolean {
    if (this.peek() !== code) return false;
    this.pos++;
    return true;
  }

  /** Reads a string without escapes or control characters; false (the general path) otherwise. */
  string(): boolean {
    if (!this.take(QUOTE)) return false;
    const text = this.text;
    let hash = FNV_OFFSET;
    for (let pos = this.pos; pos < text.length; pos++) {
      const c = text.charCodeAt(pos);
      if (c === QUOTE) {
        this.start = this.pos;
        this.end = pos;
        this.hash = hash;
        this.pos = pos + 1;
        return true;
      }
      if (c === BACKSLASH || c < 0x20) return false;
      if (c >= 0xd800 && c <= 0xdfff) this.surrogates = true;
      hash = Math.imul(hash ^ c, FNV_PRIME);
    }
    return false;
  }

  /** The last string read is exactly `word`. */
  is(word: string): boolean {
    return this.end - this.start === word.length && this.text.startsWith(word, this.start);
  }

  /** Reads `[ "..", ... ]` (at most `max` strings); undefined for anything else. */
  strings(max: number): string[] | undefined {
    if (!this.take(OPEN_ARRAY)) return undefined;
    const values: string[] = [];
    if (this.take(CLOSE_ARRAY)) return values;
    do {
      if (values.length === max || !this.string()) return undefined;
      values.push(this.text.slice(this.start, this.end));
    } while (this.take(COMMA));
    return this.take(CLOSE_ARRAY) ? values : undefined;
  }
}

/**
 * Open addressing over the names' hashes: slot -> id + 1 (0 is empty). A name is compared by the
 * characters of its own span of the text, so no string is made for a lookup.
 */
class NameSpanIndex {
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly starts: Int32Array;
  private readonly lengths: Int32Array;
  private readonly mask: number;

  constructor(
    private readonly text: string,
    count: number,
  ) {
    let size = 16;
    while (size < 2 * count) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(count);
    this.starts = new Int32Array(count);
    this.lengths = new Int32Array(count);
    this.mask = size - 1;
  }

  /** Adds name `id`, text[start, end) of hash `hash`; false when an equal name is there already. */
  add(id: number, start: number, end: number, hash: number): boolean {
    if (this.find(start, end, hash) >= 0) return false;
    this.hashes[id] = hash;
    this.starts[id] = start;
    this.lengths[id] = end - start;
    let slot = hash & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = id + 1;
    return true;
  }

  /** The id of the name spanning text[start, end), of hash `hash`, or -1. */
  find(start: number, end: number, hash: number): number {
    const text = this.text;
    const length = end - start;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const id = this.slots[slot] - 1;
      if (id < 0) return -1;
      if (this.hashes[id] !== hash || this.lengths[id] !== length) continue;
      const other = this.starts[id];
      let k = 0;
      while (k < length && text.charCodeAt(start + k) === text.charCodeAt(other + k)) k++;
      if (k === length) return id;
    }
  }
}

/** Reads `"arguments": [...]`'s value: names of 1 to MAX_NAME characters, each once. */
function readArguments(scanner: Scanner): { names: string[]; table: NameSpanIndex } | undefined {
  if (!scanner.take(OPEN_ARRAY)) return undefined;
  const names: string[] = [];
  const spans: number[] = [];
  if (!scanner.take(CLOSE_ARRAY)) {
    do {
      if (names.length === MAX_ARGUMENTS || !scanner.string()) return undefined;
      const length = scanner.end - scanner.start;
      if (length === 0 || length > MAX_NAME) return undefined;
      names.push(scanner.text.slice(scanner.start, scanner.end));
      spans.push(scanner.start, scanner.end, scanner.hash);
    } while (scanner.take(COMMA));
    if (!scanner.take(CLOSE_ARRAY)) return undefined;
  }
  const table = new NameSpanIndex(scanner.text, names.length);
  for (let id = 0; id < names.length; id++) {
    if (!table.add(id, spans[3 * id], spans[3 * id + 1], spans[3 * id + 2])) return undefined;
  }
  return { names, table };
}

/** The id of the declared argument named by the next string, or -1. */
function readName(scanner: Scanner, table: NameSpanIndex): number {
  if (!scanner.string()) return -1;
  return table.find(scanner.start, scanner.end, scanner.hash);
}

/** Reads `"attacks": [[from, to], ...]`'s value over declared names. */
function readAttacks(scanner: Scanner, table: NameSpanIndex): EdgeList | undefined {
  if (!scanner.take(OPEN_ARRAY)) return undefined;
  // About 16 characters an attack in compact JSON; the list grows if that guess is short.
  const edges = new EdgeList(scanner.text.length >>> 4);
  if (scanner.take(CLOSE_ARRAY)) return edges;
  do {
    if (edges.length === MAX_ATTACKS || !scanner.take(OPEN_ARRAY)) return undefined;
    const from = readName(scanner, table);
    if (from < 0 || !scanner.take(COMMA)) return undefined;
    const to = readName(scanner, table);
    if (to < 0 || !scanner.take(CLOSE_ARRAY)) return undefined;
    edges.push(from, to);
  } while (scanner.take(COMMA));
  return scanner.take(CLOSE_ARRAY) ? edges : undefined;
}

/**
 * Reads a JSON solve body.
 * @returns the framework's names, attacks and `explain`, or undefined when the general path must read it
 * O(length of the text); no allocation an attack.
 */
export function scanSolveJson(text: string): ScannedSolveJson | undefined {
  const scanner = new Scanner(text);
  if (!scanner.take(OPEN_OBJECT)) return undefined;
  let declared: { names: string[]; table: NameSpanIndex } | undefined;
  let edges: EdgeList | undefined;
  let explain: string[] | undefined;
  if (!scanner.take(CLOSE_OBJECT)) {
    do {
      if (!scanner.string()) return undefined;
      if (scanner.is('arguments')) {
        if (declared !== undefined || !scanner.take(COLON)) return undefined;
        declared = readArguments(scanner);
        if (declared === undefined) return undefined;
      } else if (scanner.is('attacks')) {
        if (declared === undefined || edges !== undefined || !scanner.take(COLON)) return undefined;
        edges = readAttacks(scanner, declared.table);
        if (edges === undefined) return undefined;
      } else if (scanner.is('explain')) {
        if (explain !== undefined || !scanner.take(COLON)) return undefined;
        explain = scanner.strings(MAX_EXPLAIN);
        if (explain === undefined) return undefined;
      } else {
        return undefined;
      }
    } while (scanner.take(COMMA));
    if (!scanner.take(CLOSE_OBJECT)) return undefined;
  }
  if (scanner.peek() !== -1 || declared === undefined || edges === undefined) return undefined;
  return new ScannedSolveJson(declared.names, edges, explain, !scanner.surrogates);
}
