/**
 * The errors fastify answers itself, outside the route's error handler, turned into problem+json like every
 * other error: the router's (a path that cannot be percent-decoded, `FST_ERR_BAD_URL`; a path parameter past
 * `maxParamLength`, `FST_ERR_MAX_PARAM_LENGTH`) through fastify's `frameworkErrors` option, and the HTTP
 * parser's (a malformed request, headers past Node's limit, a request that never finishes arriving) through
 * `clientErrorHandler`, which writes to the socket since there is no request object (as for CONNECT, which
 * Node hands to the server's `connect` listener).
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_TYPE_BASE, PROBLEMS, type ProblemCode } from './problem-codes.js';
import { problemFromError } from './problem.js';

/** fastify's `frameworkErrors`: the router's errors as problems. */
export function sendFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const problem = problemFromError(request, error);
  request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
  reply.code(problem.status).type('application/problem+json; charset=utf-8').send(problem);
}

/** The problem code of an error Node's HTTP parser raised. */
function clientErrorCode(code: string | undefined): ProblemCode {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'ARGMED_REQUEST_TIMEOUT';
  if (code === 'HPE_HEADER_OVERFLOW') return 'ARGMED_HEADERS_TOO_LARGE';
  return 'ARGMED_BAD_REQUEST';
}

const CLIENT_ERROR_DETAIL: Partial<Record<ProblemCode, string>> = {
  ARGMED_REQUEST_TIMEOUT: 'The request did not arrive completely in time.',
  ARGMED_HEADERS_TOO_LARGE: 'The request headers are larger than the server accepts (16 KB).',
  ARGMED_BAD_REQUEST: 'The HTTP request cannot be parsed.',
};

/** Writes a problem straight to a socket (there is no request object to answer through), then closes it. */
function writeProblem(socket: Duplex, code: ProblemCode, detail: string, error?: Error): void {
  const { status, title, slug } = PROBLEMS[code];
  const body = JSON.stringify({
    type: PROBLEM_TYPE_BASE + slug,
    title,
    status,
    detail,
    code,
    requestId: randomUUID(),
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/problem+json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * fastify's `clientErrorHandler`: answers a request Node could not parse with a problem, then closes the
 * connection (as Node does). A reset connection gets nothing.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = clientErrorCode(error.code);
  writeProblem(socket, code, CLIENT_ERROR_DETAIL[code] ?? '', error);
}

/** The server's `connect` listener: argmed is no proxy, so CONNECT is a 405 (Node would reset the socket). */
export function answerConnect(_request: IncomingMessage, socket: Duplex): void {
  writeProblem(socket, 'ARGMED_METHOD_NOT_ALLOWED', 'CONNECT is not answered here: argmed is not a proxy.');
}
