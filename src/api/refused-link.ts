/**
 * The answer to a signed link (src/view/view-link.ts) that does not check out: expired, or changed, or made
 * for another case, run, rater or server. A browser (it asks for `text/html`) gets a plain page that says why
 * and shows nothing else; any other client gets the usual problem+json (`ARGMED_UNAUTHORIZED`, 401).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/problem.js';
import { escapeHtml } from '../view/escape-html.js';
import type { ViewLinkCheck } from '../view/view-link.js';

/** Why a link was refused. */
export type RefusedCheck = Exclude<ViewLinkCheck, 'valid'>;

function refusedPage(why: RefusedCheck, message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Link ${why} - argmed</title></head>
<body><main><h1>Link ${why}</h1><p>${escapeHtml(message)}</p></main></body></html>\n`;
}

/**
 * Refuses a request made on a bad signed link.
 * @param message what the reader should do, per reason (e.g. "ask whoever sent it for a new one")
 * @throws ApiError ARGMED_UNAUTHORIZED for a client that does not ask for HTML
 */
export function refuseLink(request: FastifyRequest, reply: FastifyReply, why: RefusedCheck, message: Record<RefusedCheck, string>): FastifyReply {
  request.log.info({ link: why }, 'signed link refused');
  if (!String(request.headers.accept ?? '').includes('text/html')) {
    throw new ApiError('ARGMED_UNAUTHORIZED', `The signed link is ${why}: ${message[why]}`);
  }
  return reply.code(401).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(refusedPage(why, message[why]));
}
