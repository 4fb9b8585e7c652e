/**
 * Every body the service reads is UTF-8, checked before any parser sees it: fastify's parsers decode with
 * replacement, so invalid bytes became U+FFFD in what was stored, and a body labelled `charset=utf-16` was
 * read as UTF-8. A declared charset other than UTF-8 (or its ASCII subset) is a 415; bytes that are not UTF-8
 * are a 400 naming the byte offset. The check runs on the stream as it arrives (one incremental decoder, no
 * copy of the body), so it costs one pass of native UTF-8 validation. Bodies are not decompressed: a
 * Content-Encoding other than identity is a 415 (fastify ignored it, so a body labelled gzip but sent plain
 * was stored, and a real gzip body was refused as not UTF-8).
 */
import { Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './problem.js';

const ACCEPTED_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);

/** The `charset` parameter of a content type, lower-cased and unquoted, if it has one. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i.exec(contentType ?? '');
  return match ? match[2].toLowerCase() : undefined;
}

/**
 * The app's `preParsing` hook: refuses a content coding and a non-UTF-8 charset, and passes the body on through a check that
 * fails the request at the first byte that is not UTF-8.
 * @throws ApiError ARGMED_UNSUPPORTED_MEDIA_TYPE (415) for a content coding or another charset; the stream fails with
 *   ARGMED_INVALID_ENCODING (400) on invalid bytes
 */
export async function checkBodyEncoding(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: NodeJS.ReadableStream,
): Promise<NodeJS.ReadableStream> {
  const coding = request.headers['content-encoding'];
  if (coding !== undefined && !/^\s*identity\s*$/i.test(coding)) {
    throw new ApiError(
      'ARGMED_UNSUPPORTED_MEDIA_TYPE',
      `Content-Encoding ${coding.slice(0, 40)} is not accepted: send the body uncompressed.`,
    );
  }
  const charset = charsetOf(request.headers['content-type']);
  if (charset !== undefined && !ACCEPTED_CHARSETS.has(charset)) {
    throw new ApiError(
      'ARGMED_UNSUPPORTED_MEDIA_TYPE',
      `charset=${charset.slice(0, 40)} is not accepted: send the body as UTF-8 (charset=utf-8).`,
    );
  }
  const { headers } = request;
  if (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) return payload;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const invalid = () =>
    new ApiError(
      'ARGMED_INVALID_ENCODING',
      `The body is not valid UTF-8 (near byte ${offset}); send it as UTF-8.`,
    );
  const checked = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        callback(invalid());
        return;
      }
      offset += chunk.length;
      callback(null, chunk);
    },
    flush(callback) {
      try {
        decoder.decode();
        callback();
      } catch {
        callback(invalid());
      }
    },
  });
  payload.on('error', (error) => checked.destroy(error));
  // A route that reads no body (a GET sent with one, an unknown route) never listens to this stream: without a
  // listener of its own, its error would be an uncaught exception (found by test/http/edge-fuzz.test.ts).
  checked.on('error', () => {});
  return payload.pipe(checked);
}
