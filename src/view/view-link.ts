/**
 * Signed view links: a capability to open one page for a limited time, for a browser that has no API key.
 * - A case's graph page (a clinician following a CDS card's link): HMAC over the case id and the expiry.
 * - A rater's rating page of one evaluation run (a clinician invited to rate; a plain form cannot send a
 *   bearer header): HMAC over the run id, the rater's name and the expiry; it opens that run's rating page
 *   and accepts that rater's ratings on it, nothing else.
 * The link carries its expiry and the HMAC-SHA256, keyed with the server's secret (`ARGMED_VIEW_SECRET`) and
 * prefixed by the link's purpose, so one kind never passes for the other; nothing is stored, so any replica
 * holding the same secret accepts it. The JSON routes keep their bearer keys.
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
  /**
   * The path of a rater's signed rating page, e.g. `/v1/evaluations/ev-…/rate?rater=Dr%20A&exp=…&sig=…`.
   * @param runId the evaluation run, @param rater the rater's name (it becomes the rater `name:<rater>`).
   */
  ratePath(runId: string, rater: string): { path: string; expiresAt: Date };
  /** Checks a rating link's query against the run and rater it names; constant time in the signature. */
  checkRate(runId: string, rater: string, exp: string | undefined, sig: string | undefined): ViewLinkCheck;
}

export interface ViewLinkOptions {
  /** The HMAC key; at least 32 characters. */
  secret: string;
  /** How long a link opens its page, in seconds. */
  ttlSeconds: number;
  /** How long a rating link works, in seconds (default: `ttlSeconds`). */
  rateTtlSeconds?: number;
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Creates the signer and checker of view links.
 * @example const links = createViewLinks({ secret: config.viewLinks.secret, ttlSeconds: 3600 });
 *          links.path('case-1') // '/v1/cases/case-1/view?exp=...&sig=...'
 */
export function createViewLinks({ secret, ttlSeconds, rateTtlSeconds = ttlSeconds, now = Date.now }: ViewLinkOptions): ViewLinks {
  const sign = (subject: string, exp: number): Buffer =>
    createHmac('sha256', secret).update(`${subject}\u0000${exp}`).digest();
  const viewSubject = (caseId: string) => `argmed-view\u0000${caseId}`;
  const rateSubject = (runId: string, rater: string) => `argmed-rate\u0000${runId}\u0000${rater}`;

  function checkSigned(subject: string, exp: string | undefined, sig: string | undefined): ViewLinkCheck {
    if (exp === undefined || sig === undefined || !/^\d{1,12}$/.test(exp)) return 'forged';
    const given = Buffer.from(sig, 'base64url');
    const expected = sign(subject, Number(exp));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'forged';
    return Number(exp) * 1000 < now() ? 'expired' : 'valid';
  }

  return {
    path(caseId) {
      const exp = Math.floor(now() / 1000) + ttlSeconds;
      const sig = sign(viewSubject(caseId), exp).toString('base64url');
      return `/v1/cases/${encodeURIComponent(caseId)}/view?exp=${exp}&sig=${sig}`;
    },
    check: (caseId, exp, sig) => checkSigned(viewSubject(caseId), exp, sig),
    ratePath(runId, rater) {
      const exp = Math.floor(now() / 1000) + rateTtlSeconds;
      const sig = sign(rateSubject(runId, rater), exp).toString('base64url');
      const query = new URLSearchParams({ rater, exp: String(exp), sig });
      return { path: `/v1/evaluations/${encodeURIComponent(runId)}/rate?${query}`, expiresAt: new Date(exp * 1000) };
    },
    checkRate: (runId, rater, exp, sig) => checkSigned(rateSubject(runId, rater), exp, sig),
  };
}
