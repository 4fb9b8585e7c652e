/**
 * Signed view links: a capability to open one case's graph page for a short time, for a browser that has no
 * API key (a clinician following a CDS card's link). The link carries its expiry and an HMAC-SHA256 over the
 * case id and that expiry, keyed with the server's secret (`ARGMED_VIEW_SECRET`); nothing is stored, so any
 * replica holding the same secret accepts it. The JSON routes keep their bearer keys: a link opens the page of
 * its own case and nothing else.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a link check found. */
export type ViewLinkCheck = 'valid' | 'expired' | 'forged';

export interface ViewLinks {
  /**
   * The path of the signed page of a case, e.g. `/v1/cases/abc/view?exp=1764800000&sig=...`.
   * @param caseId the case the link opens.
   */
  path(caseId: string): string;
  /**
   * Checks a link's query against the case it names; constant time in the signature.
   * @param exp the `exp` query value (seconds since the epoch), @param sig the `sig` query value.
   */
  check(caseId: string, exp: string | undefined, sig: string | undefined): ViewLinkCheck;
}

export interface ViewLinkOptions {
  /** The HMAC key; at least 32 characters. */
  secret: string;
  /** How long a link opens its page, in seconds. */
  ttlSeconds: number;
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Creates the signer and checker of view links.
 * @example const links = createViewLinks({ secret: config.viewLinks.secret, ttlSeconds: 3600 });
 *          links.path('case-1') // '/v1/cases/case-1/view?exp=...&sig=...'
 */
export function createViewLinks({ secret, ttlSeconds, now = Date.now }: ViewLinkOptions): ViewLinks {
  const sign = (caseId: string, exp: number): Buffer =>
    createHmac('sha256', secret).update(`argmed-view\u0000${caseId}\u0000${exp}`).digest();

  return {
    path(caseId) {
      const exp = Math.floor(now() / 1000) + ttlSeconds;
      const sig = sign(caseId, exp).toString('base64url');
      return `/v1/cases/${encodeURIComponent(caseId)}/view?exp=${exp}&sig=${sig}`;
    },
    check(caseId, exp, sig) {
      if (exp === undefined || sig === undefined || !/^\d{1,12}$/.test(exp)) return 'forged';
      const given = Buffer.from(sig, 'base64url');
      const expected = sign(caseId, Number(exp));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
      return Number(exp) * 1000 < now() ? 'expired' : 'valid';
    },
  };
}
