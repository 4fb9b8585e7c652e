/**
 * Normalises every source a reader accepts (a whole string, a Node stream, any async iterable of strings
 * or bytes) into an async sequence of byte chunks, so each reader has one streaming loop. A string is
 * cut into 1 MiB pieces so readers never see one huge chunk. A UTF-8 byte order mark at the very start
 * (Windows editors write one) is dropped here, once for every format.
 */
import type { FrameworkSource } from '../types.js';

const PIECE = 1 << 20;
const BOM = [0xef, 0xbb, 0xbf];

/** Yields the bytes of `source` chunk by chunk, without joining them. */
export async function* byteChunks(source: FrameworkSource): AsyncGenerator<Uint8Array> {
  // Bytes held back until three are known: the mark may straddle the first chunks of a stream.
  let head: Uint8Array | undefined = new Uint8Array(0);
  for await (const chunk of rawChunks(source)) {
    if (head === undefined) {
      yield chunk;
      continue;
    }
    const bytes: Uint8Array = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    if (bytes.length < BOM.length && bytes.every((b, i) => b === BOM[i])) {
      // A copy: the source may reuse its buffer for the next chunk.
      head = Uint8Array.from(bytes);
      continue;
    }
    head = undefined;
    const rest = startsWithBom(bytes) ? bytes.subarray(BOM.length) : bytes;
    if (rest.length > 0) yield rest;
  }
  // A source shorter than a mark that began like one: its bytes are the whole text.
  if (head !== undefined && head.length > 0) yield head;
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= BOM.length && BOM.every((b, i) => bytes[i] === b);
}

async function* rawChunks(source: FrameworkSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    for (let i = 0; i < source.length; i += PIECE) yield Buffer.from(source.slice(i, i + PIECE), 'utf8');
    return;
  }
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  }
}
