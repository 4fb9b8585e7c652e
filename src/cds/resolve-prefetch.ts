/**
 * Gathers the data of a call: what the client prefetched, and what it did not, fetched from its FHIR server
 * (only the advertised prefetch queries, in parallel) with the token it gave, or without one when it gave
 * none: a sandbox's FHIR server is often open, and a closed one simply refuses. When data is missing and
 * cannot be fetched (no fhirServer, or the server refuses or fails), the answer is 412 Precondition Failed, as
 * CDS Hooks 2.0 requires.
 */
import { CdsError } from './cds-error.js';
import { fetchFhir } from './fhir-client.js';
import { PREFETCH_TEMPLATES, type PrefetchKey } from './service-catalog.js';
import type { FhirResource, HookRequest } from './types.js';

/** The data of a call, by prefetch key; null where the client has none. */
export type PrefetchData = Record<PrefetchKey, FhirResource | null>;

export interface ResolvedPrefetch {
  data: PrefetchData;
  /** Keys read from the FHIR server rather than the request. */
  fetched: PrefetchKey[];
}

/**
 * Fills the `{{context.x}}` tokens of a prefetch template; values are URL-encoded.
 * @throws CdsError naming the context field when a token has no string value.
 */
export function fillTemplate(template: string, context: Record<string, unknown>): string {
  return template.replace(/\{\{\s*context\.([A-Za-z]+)\s*\}\}/g, (_token, field: string) => {
    const value = context[field];
    if (typeof value !== 'string' || value === '') {
      throw new CdsError(
        'ARGMED_CDS_INVALID_REQUEST',
        `context.${field} is needed to read the patient's data`,
        `context.${field}`,
      );
    }
    return encodeURIComponent(value);
  });
}

/**
 * Resolves every prefetch key of the service for a request.
 * @param request the validated hook request.
 * @param fhir the timeout of each FHIR request, and whether a loopback fhirServer may be called.
 * @throws CdsError 412 (`ARGMED_CDS_PREFETCH_MISSING`, `ARGMED_CDS_FHIR_TIMEOUT`, `ARGMED_CDS_FHIR_UNAVAILABLE`).
 */
export async function resolvePrefetch(
  request: HookRequest,
  fhir: { timeoutMs: number; allowLoopback: boolean },
): Promise<ResolvedPrefetch> {
  const given = request.prefetch ?? {};
  const data: Partial<PrefetchData> = {};
  const missing: PrefetchKey[] = [];
  for (const key of Object.keys(PREFETCH_TEMPLATES) as PrefetchKey[]) {
    const value = given[key];
    // An OperationOutcome is the client's way of saying it could not prefetch: treat the key as missing.
    if (value === undefined || value?.resourceType === 'OperationOutcome') missing.push(key);
    else data[key] = value;
  }
  if (missing.length === 0) return { data: data as PrefetchData, fetched: [] };

  if (!request.fhirServer) {
    throw new CdsError(
      'ARGMED_CDS_PREFETCH_MISSING',
      `Prefetch lacks ${missing.map((key) => `"${key}"`).join(', ')} and the request gives no fhirServer ` +
        'to read it from; send the prefetch the discovery document lists, or fhirServer (with fhirAuthorization ' +
        'when the server needs it).',
      `prefetch.${missing[0]}`,
    );
  }
  const context = request.context as Record<string, unknown>;
  const results = await Promise.all(
    missing.map((key) =>
      fetchFhir(fillTemplate(PREFETCH_TEMPLATES[key], context), {
        fhirServer: request.fhirServer as string,
        accessToken: request.fhirAuthorization?.access_token,
        ...fhir,
      }),
    ),
  );
  missing.forEach((key, index) => {
    data[key] = results[index];
  });
  return { data: data as PrefetchData, fetched: missing };
}
