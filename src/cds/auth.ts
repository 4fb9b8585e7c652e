/**
 * Authentication of CDS clients (CDS Hooks 2.0, "Trusting CDS Clients"): every call carries a JWT signed
 * with an asymmetric key of an allowlisted issuer, `aud` equal to the URL called, `exp`, `iat` and a `jti`
 * that is never accepted twice while the token lives. `none` and HMAC algorithms are refused before any
 * key is looked at. Every failure is the same 401 to the caller; the reason goes to the log only.
 */
import type { JWTVerifyGetKey } from 'jose';
import { ConfigError } from '../config.js';
import { fieldIssueOf, issuesText } from '../../schemes/field-issues.js';
import { CdsError } from './cds-error.js';
import { CLOCK_TOLERANCE_S, createMemoryReplayCache, type ReplayCache } from './replay-cache.js';
import { type Issuer, IssuersSchema } from './types.js';

/** Signature algorithms accepted: asymmetric only (the spec forbids `none` and shared-secret HMAC). */
export const ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/** Longest token lifetime accepted; it bounds how long the replay cache keeps a `jti`. */
export const MAX_TOKEN_LIFETIME_S = 3600;
export { CLOCK_TOLERANCE_S, MAX_REMEMBERED_JTI } from './replay-cache.js';

/** Why a token was refused: for the log, never for the caller. */
export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'algorithm'
  | 'unknown-issuer'
  | 'signature'
  | 'expired'
  | 'audience'
  | 'claims'
  | 'lifetime'
  | 'replay'
  | 'replay-cache-full';

/** The 401 every failure becomes; `reason` stays on the server. */
export class CdsAuthError extends CdsError {
  constructor(readonly reason: AuthFailureReason) {
    super('ARGMED_CDS_UNAUTHORIZED', 'The request is not authenticated.');
  }
}

export interface CdsAuth {
  /**
   * Verifies the `Authorization` header of a call.
   * @param authorization the header value (`Bearer <jwt>`), or undefined when absent.
   * @param audience the absolute URL that was called (without query string).
   * @returns the verified issuer.
   * @throws CdsAuthError (401) on any failure.
   */
  verify(authorization: string | undefined, audience: string): Promise<{ iss: string }>;
  /** Loads the JWT library now (the warm-up does, once listening), so the first call does not wait for it. */
  prepare(): Promise<void>;
}

/**
 * Parses and validates `ARGMED_CDS_ISSUERS`: a JSON array of `{ "iss": ..., "jwksUrl": ... }` or
 * `{ "iss": ..., "jwks": { "keys": [...] } }`.
 * @throws ConfigError naming `ARGMED_CDS_ISSUERS` when it is not such a list.
 */
export function parseIssuers(json: string | undefined): Issuer[] {
  if (json === undefined || json.trim() === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new ConfigError(
      'ARGMED_CDS_ISSUERS',
      'is not valid JSON; expected [{"iss":"...","jwksUrl":"https://..."}]',
    );
  }
  const parsed = IssuersSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError('ARGMED_CDS_ISSUERS', issuesText([fieldIssueOf(parsed.error.issues[0])]));
  }
  const seen = new Set<string>();
  for (const issuer of parsed.data) {
    if (seen.has(issuer.iss))
      throw new ConfigError('ARGMED_CDS_ISSUERS', `issuer "${issuer.iss}" is listed twice`);
    seen.add(issuer.iss);
  }
  return parsed.data;
}

export interface CdsAuthOptions {
  issuers: Issuer[];
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
  /** Timeout of a JWKS download (default 2000 ms). */
  jwksTimeoutMs?: number;
  /** Where used `jti`s are remembered: this process's memory when absent, Redis for replicas. */
  replayCache?: ReplayCache;
}

/**
 * Creates the verifier. jose is imported on the first call (or `prepare`), not at start, where it costs about
 * 40 ms of CPU. JWKS URLs are fetched lazily and cached by jose (refetched on an unknown `kid`, at most every
 * 30 s). Cost per call: one signature check and one Map lookup.
 */
export function createCdsAuth({
  issuers,
  now = Date.now,
  jwksTimeoutMs = 2000,
  replayCache = createMemoryReplayCache(now),
}: CdsAuthOptions): CdsAuth {
  let loaded: Promise<{ jose: typeof import('jose'); keySets: Map<string, JWTVerifyGetKey> }> | undefined;
  const prepare = () => {
    loaded ??= import('jose').then((jose) => ({ jose, keySets: keySetsOf(jose, issuers, jwksTimeoutMs) }));
    return loaded;
  };
  async function verify(authorization: string | undefined, audience: string): Promise<{ iss: string }> {
    const match = /^Bearer[ ]+([A-Za-z0-9_\-.]+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new CdsAuthError(authorization ? 'malformed' : 'missing');
    const token = match[1];
    const { jose, keySets } = await prepare();
    const { decodeJwt, decodeProtectedHeader, jwtVerify } = jose;
    let alg: unknown;
    let iss: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
      iss = decodeJwt(token).iss;
    } catch {
      throw new CdsAuthError('malformed');
    }
    if (typeof alg !== 'string' || !(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
      throw new CdsAuthError('algorithm');
    }
    const keySet = typeof iss === 'string' ? keySets.get(iss) : undefined;
    if (!keySet || typeof iss !== 'string') throw new CdsAuthError('unknown-issuer');

    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, keySet, {
        issuer: iss,
        audience,
        algorithms: [...ALLOWED_ALGORITHMS],
        requiredClaims: ['exp', 'iat', 'jti'],
        maxTokenAge: MAX_TOKEN_LIFETIME_S,
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(now()),
      }));
    } catch (error) {
      throw new CdsAuthError(failureReason(error));
    }
    const exp = payload.exp as number;
    const nowS = now() / 1000;
    if (exp - nowS > MAX_TOKEN_LIFETIME_S + CLOCK_TOLERANCE_S) throw new CdsAuthError('lifetime');
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) {
      throw new CdsAuthError('claims');
    }
    const replayKey = `${iss}\u0000${payload.jti}`;
    const claimed = await replayCache.claim(replayKey, exp);
    if (claimed === 'seen') throw new CdsAuthError('replay');
    if (claimed === 'full') throw new CdsAuthError('replay-cache-full');
    return { iss };
  }

  return { verify, prepare: async () => void (await prepare()) };
}

/** One key set an issuer: a remote JWKS (fetched when first needed) or the keys given. */
function keySetsOf(
  jose: typeof import('jose'),
  issuers: Issuer[],
  jwksTimeoutMs: number,
): Map<string, JWTVerifyGetKey> {
  const keySets = new Map<string, JWTVerifyGetKey>();
  for (const issuer of issuers) {
    const keySet = issuer.jwksUrl
      ? jose.createRemoteJWKSet(new URL(issuer.jwksUrl), {
          timeoutDuration: jwksTimeoutMs,
          cooldownDuration: 30_000,
        })
      : jose.createLocalJWKSet(issuer.jwks as Parameters<typeof jose.createLocalJWKSet>[0]);
    keySets.set(issuer.iss, keySet);
  }
  return keySets;
}

/** Maps a jose error to a log reason by its stable code. */
function failureReason(error: unknown): AuthFailureReason {
  const code = (error as { code?: string }).code;
  const claim = (error as { claim?: string }).claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claim === 'aud' ? 'audience' : 'claims';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'malformed';
    default:
      return 'signature';
  }
}
