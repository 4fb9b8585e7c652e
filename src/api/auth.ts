/**
 * Bearer API keys and the rate-limit buckets that depend on them. When keys are configured, every `/v1` route
 * (and `/metrics`) needs `Authorization: Bearer <key>`; keys are compared in constant time (over SHA-256
 * digests, so length does not leak either). Without keys the routes are open and the server listens on
 * loopback only (see `argmed serve`).
 *
 * A request is checked in three steps, in this order, so that wrong keys are counted before they are refused:
 * `identify` compares the key, the rate limit counts the request in its bucket (`bucket`), and `require`
 * refuses a missing or wrong key. Buckets: a verified key's own (`key:<digest>`); without keys configured, the
 * client address (`ip:<address>`); a request whose key is missing or wrong, its address's failure bucket
 * (`fail:<address>`, with its own, lower limit). A random token each time therefore lands in one failure
 * bucket instead of a fresh bucket each time, and guessing keys is limited per address.
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
 * The id of the API key a request sent (`key:` and 16 hex digits of its SHA-256, so the key itself is never
 * stored or logged), or undefined without one. What the audit trail of a contested case records as author.
 */
export function apiKeyId(request: FastifyRequest): string | undefined {
  const token = bearerToken(request);
  return token ? `key:${digest(token).toString('hex').slice(0, 16)}` : undefined;
}

/** What `identify` found: a verified key (its short digest), or why the request is not authenticated. */
type AuthOutcome = { key: string } | { refusal: string };

/** The three hooks of one set of keys (see the file comment). */
export interface ApiKeyAuth {
  /** `onRequest`: compares the key (never throws). */
  identify(request: FastifyRequest): Promise<void>;
  /** The rate-limit bucket of a request `identify` has seen. */
  bucket(request: FastifyRequest): string;
  /** `onRequest`, after the rate limit: throws `ARGMED_UNAUTHORIZED` (401) for a missing or wrong key. */
  require(request: FastifyRequest): Promise<void>;
}

/** Prefix of the bucket of requests whose key is missing or wrong. */
export const FAILURE_BUCKET = 'fail:';

/**
 * Builds the checks of a set of API keys. A route marked `signedViewLink` that is called with a `sig` query
 * parameter is left to check that link instead (src/view/view-link.ts); it is bucketed by address.
 * @param keys the accepted keys; with none, every request passes and is bucketed by address.
 */
export function createApiKeyAuth(keys: readonly string[]): ApiKeyAuth {
  const digests = keys.map(digest);
  const outcomes = new WeakMap<FastifyRequest, AuthOutcome>();
  return {
    async identify(request) {
      if (digests.length === 0) return;
      if (
        request.routeOptions.config.signedViewLink &&
        (request.query as { sig?: unknown })?.sig !== undefined
      )
        return;
      const token = bearerToken(request);
      if (token === undefined) {
        outcomes.set(request, { refusal: 'Send the header "Authorization: Bearer <API key>".' });
        return;
      }
      const candidate = digest(token);
      let matched = false;
      // Compare against every key, without stopping early, so timing says nothing about which key nearly matched.
      for (const known of digests) matched = timingSafeEqual(candidate, known) || matched;
      outcomes.set(
        request,
        matched ? { key: candidate.toString('hex').slice(0, 16) } : { refusal: 'The API key is not valid.' },
      );
    },
    bucket(request) {
      const outcome = outcomes.get(request);
      if (outcome === undefined) return `ip:${request.ip}`;
      return 'key' in outcome ? `key:${outcome.key}` : `${FAILURE_BUCKET}${request.ip}`;
    },
    async require(request) {
      const outcome = outcomes.get(request);
      if (outcome !== undefined && 'refusal' in outcome)
        throw new ApiError('ARGMED_UNAUTHORIZED', outcome.refusal);
    },
  };
}
