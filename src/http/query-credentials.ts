/**
 * Credentials never travel in a query string: URLs are written to access logs, proxies' logs and browser
 * history. Query values are redacted wherever the service logs a URL (all but a few known to hold no free
 * text or secret), and a request that sends an API key or token that way is refused with a 400 telling the
 * caller to use the `Authorization` header (before any key check, so the refusal says nothing about the key). A signed page
 * link's `sig` is a capability meant for a URL: it is redacted in logs but accepted.
 */
import type { FastifyRequest } from 'fastify';
import { fieldError } from './problem.js';

/** Names of query parameters whose values are secrets (case-insensitive). */
const SECRET_NAME =
  /^(api[-_]?key|apikey|key|token|access[-_]?token|id[-_]?token|auth|authorization|bearer|password|passwd|secret|client[-_]?secret|jwt|sig|signature)$/i;
/** The one secret that belongs in a URL: a signed page link's signature. */
const LINK_SIGNATURE = /^(sig|signature)$/i;

/** The names of a URL's query parameters, decoded (a malformed escape keeps its raw name). */
function queryNames(query: string): string[] {
  return query.split('&').map((pair) => {
    const name = pair.split('=')[0].replace(/\+/g, ' ');
    try {
      return decodeURIComponent(name);
    } catch {
      return name;
    }
  });
}

/**
 * Parameters whose values are logged: enums, numbers, dates and ids of the routes' own making. Every other
 * value is redacted, credentials and free text alike (a withdrawal's `reason` is the clinician's words about
 * the patient; an unknown parameter may hold anything).
 */
const LOGGED_VALUE = /^(wait|format|limit|status|createdAfter|createdBefore|revision|follow|lastEventId|n|saved|exp)$/;

/** The URL with the values of credential-named and free-text query parameters replaced by `[redacted]`. */
export function redactQuery(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const pairs = url.slice(mark + 1).split('&');
  const names = queryNames(url.slice(mark + 1));
  const redacted = pairs.map((pair, i) =>
    !LOGGED_VALUE.test(names[i]) && pair.includes('=') ? `${pair.split('=')[0]}=[redacted]` : pair,
  );
  return `${url.slice(0, mark)}?${redacted.join('&')}`;
}

/**
 * The app's `onRequest` hook: refuses an API key or token sent as a query parameter.
 * @throws ApiError ARGMED_VALIDATION naming `querystring/<name>`
 */
export async function refuseQueryCredentials(request: FastifyRequest): Promise<void> {
  const mark = request.url.indexOf('?');
  if (mark < 0) return;
  for (const name of queryNames(request.url.slice(mark + 1))) {
    const trimmed = name.trim();
    if (SECRET_NAME.test(trimmed) && !LINK_SIGNATURE.test(trimmed)) {
      const path = `querystring/${trimmed.slice(0, 64)}`;
      const message =
        'credentials are not accepted in the query string (URLs are logged); send the header "Authorization: Bearer <key>"';
      throw fieldError('ARGMED_VALIDATION', path, message);
    }
  }
}
