/**
 * Normalises every source a reader accepts (a whole string, a Node stream, any async iterable of strings
 * or bytes) into an async sequence of byte chunks, so each reader has one streaming loop. A string is
 * cut into 1 MiB pieces so readers never see one huge chunk.
 */
import type { FrameworkSource } from '../types.js';

const PIECE = 1 << 20;

/** Yields the bytes of `source` chunk by chunk, without joining them. */
export async function* byteChunks(source: FrameworkSource): AsyncGenerator<Uint8Array> {
  if (typeof source === 'string') {
    for (let i = 0; i < source.length; i += PIECE) yield Buffer.from(source.slice(i, i + PIECE), 'utf8');
    return;
  }
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    yield typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  }
}
