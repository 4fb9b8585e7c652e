/**
 * Reads FHIR resources from the CDS client's FHIR server with the bearer token the client handed over
 * (`fhirAuthorization`), or without one when it gave none (an open sandbox server), for the prefetch
 * templates the client did not satisfy. Each request has a timeout,
 * a size limit, no redirects (the token must not travel to another host) and asks for FHIR JSON only.
 */
import { CdsError } from './cds-error.js';
import { type FhirResource, FhirResourceSchema } from './types.js';

export interface FhirClientOptions {
  /** Base URL of the FHIR server (`fhirServer` of the request). */
  fhirServer: string;
  /** The OAuth 2.0 bearer token (`fhirAuthorization.access_token`); none is sent when absent. Never logged. */
  accessToken?: string;
  /** Timeout of each request in milliseconds. */
  timeoutMs: number;
  /** Largest response body accepted (default 8 MiB). */
  maxBytes?: number;
}

/**
 * GETs one relative FHIR query (`Patient/123`, `Condition?patient=123`) from the server.
 * @returns the resource (a searchset Bundle for searches), or null when a read answers 404.
 * @throws CdsError `ARGMED_CDS_FHIR_TIMEOUT` after `timeoutMs`, `ARGMED_CDS_FHIR_UNAVAILABLE` for a network
 *   error, a redirect, another non-2xx status, a body too large or one that is not a FHIR resource.
 */
export async function fetchFhir(query: string, options: FhirClientOptions): Promise<FhirResource | null> {
  const { fhirServer, accessToken, timeoutMs, maxBytes = 8 * 1024 * 1024 } = options;
  const url = `${fhirServer.replace(/\/+$/, '')}/${query.replace(/^\/+/, '')}`;
  const what = query.split(/[/?]/)[0];
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      method: 'GET',
      headers: {
        accept: 'application/fhir+json, application/json',
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw unavailable(`the ${what} answer is larger than ${maxBytes} bytes`);
    }
    body = await response.text();
  } catch (error) {
    if (error instanceof CdsError) throw error;
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new CdsError(
        'ARGMED_CDS_FHIR_TIMEOUT',
        `The FHIR server did not answer the ${what} query within ${timeoutMs} ms.`,
      );
    }
    throw unavailable(`the ${what} query failed before an answer arrived`);
  }
  if (response.status === 404 && !query.includes('?')) return null;
  if (response.status === 401 || response.status === 403) {
    const how = accessToken ? 'with the fhirAuthorization given' : 'without fhirAuthorization';
    throw unavailable(`the ${what} query was refused ${how} (HTTP ${response.status})`);
  }
  if (response.status < 200 || response.status > 299) {
    throw unavailable(`the ${what} query answered HTTP ${response.status}`);
  }
  if (body.length > maxBytes) throw unavailable(`the ${what} answer is larger than ${maxBytes} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw unavailable(`the ${what} answer is not JSON`);
  }
  const parsed = FhirResourceSchema.safeParse(json);
  if (!parsed.success) throw unavailable(`the ${what} answer is not a FHIR resource`);
  if (parsed.data.resourceType === 'OperationOutcome')
    throw unavailable(`the ${what} query answered an OperationOutcome`);
  return parsed.data;
}

function unavailable(why: string): CdsError {
  return new CdsError('ARGMED_CDS_FHIR_UNAVAILABLE', `The FHIR server did not give the data: ${why}.`);
}
