/**
 * Bearer API keys. When keys are configured, every `/v1` route needs `Authorization: Bearer <key>`; keys are
 * compared in constant time (over SHA-256 digests, so length does not leak either). Without keys the routes
 * are open and the server listens on loopback only (see `argmed serve`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/problem.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The bearer token of a request, if it sent one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route also opens with a signed view link (`?exp=&sig=`), which the route checks itself. */
    signedViewLink?: boolean;
  }
}

/**
 * Builds the `onRequest` check of the API keys. A route marked `signedViewLink` that is called with a `sig`
 * query parameter is left to check that link instead (src/view/view-link.ts).
 * @param keys the configured keys; with none, every request passes.
 * @returns a hook that throws `ARGMED_UNAUTHORIZED` (401) for a missing or wrong key.
 */
export function createAuthHook(keys: readonly string[]) {
  const digests = keys.map(digest);
  return async function checkApiKey(request: FastifyRequest): Promise<void> {
    if (digests.length === 0) return;
    if (request.routeOptions.config.signedViewLink && (request.query as { sig?: unknown })?.sig !== undefined)
      return;
    const token = bearerToken(request);
    if (token === undefined) {
      throw new ApiError('ARGMED_UNAUTHORIZED', 'Send the header "Authorization: Bearer <API key>".');
    }
    const candidate = digest(token);
    let matched = false;
    // Compare against every key, without stopping early, so timing says nothing about which key nearly matched.
    for (const known of digests) matched = timingSafeEqual(candidate, known) || matched;
    if (!matched) throw new ApiError('ARGMED_UNAUTHORIZED', 'The API key is not valid.');
  };
}

/**
 * The id of the API key a request sent (`key:` and 16 hex digits of its SHA-256, so the key itself is never
 * stored or logged), or undefined without one. What the audit trail of a contested case records as author.
 */
export function apiKeyId(request: FastifyRequest): string | undefined {
  const token = bearerToken(request);
  return token ? `key:${digest(token).toString('hex').slice(0, 16)}` : undefined;
}

/** The rate-limit bucket of a request: its API key (hashed) when it has one, else its address. */
export function rateLimitKey(request: FastifyRequest): string {
  return apiKeyId(request) ?? `ip:${request.ip}`;
}
