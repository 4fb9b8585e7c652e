/**
 * Reads FHIR resources from the CDS client's FHIR server with the bearer token the client handed over
 * (`fhirAuthorization`), or without one when it gave none (an open sandbox server), for the prefetch
 * templates the client did not satisfy. Each request has a timeout, a size limit counted as the body arrives
 * (a chunked answer has no content-length to trust), no redirects (the token must not travel to another
 * host), only the addresses fhir-address.ts allows, and asks for FHIR JSON only.
 */
import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CdsError } from './cds-error.js';
import { checkedLookup, checkLiteralHost } from './fhir-address.js';
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
  /** Whether a loopback address may be called (`ARGMED_CDS_FHIR_LOOPBACK`); default false. */
  allowLoopback?: boolean;
}

/** The status and body of one GET, the body cut off past `maxBytes`. */
interface FhirAnswer {
  status: number;
  body: string;
}

/**
 * GETs one relative FHIR query (`Patient/123`, `Condition?patient=123`) from the server.
 * @returns the resource (a searchset Bundle for searches), or null when a read answers 404.
 * @throws CdsError `ARGMED_CDS_FHIR_TIMEOUT` after `timeoutMs`, `ARGMED_CDS_FHIR_UNAVAILABLE` for a network
 *   error, a refused address, a redirect, another non-2xx status, a body too large or one that is not a FHIR
 *   resource.
 */
export async function fetchFhir(query: string, options: FhirClientOptions): Promise<FhirResource | null> {
  const { fhirServer, accessToken, timeoutMs, maxBytes = 8 * 1024 * 1024, allowLoopback = false } = options;
  const url = new URL(`${fhirServer.replace(/\/+$/, '')}/${query.replace(/^\/+/, '')}`);
  const what = query.split(/[/?]/)[0];
  checkLiteralHost(url.hostname, allowLoopback);
  const response = await get(url, {
    headers: {
      accept: 'application/fhir+json, application/json',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    timeoutMs,
    maxBytes,
    allowLoopback,
    what,
  });
  const { body } = response;
  if (response.status === 404 && !query.includes('?')) return null;
  if (response.status === 401 || response.status === 403) {
    const how = accessToken ? 'with the fhirAuthorization given' : 'without fhirAuthorization';
    throw unavailable(`the ${what} query was refused ${how} (HTTP ${response.status})`);
  }
  if (response.status < 200 || response.status > 299) {
    throw unavailable(`the ${what} query answered HTTP ${response.status}`);
  }
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

/** One GET over node:http(s), which lets the socket's lookup be checked (fetch does not). */
function get(
  url: URL,
  options: { headers: Record<string, string>; timeoutMs: number; maxBytes: number; allowLoopback: boolean; what: string },
): Promise<FhirAnswer> {
  const { what, maxBytes, timeoutMs } = options;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<FhirAnswer>((resolve, reject) => {
    const request = send(url, {
      method: 'GET',
      headers: options.headers,
      lookup: checkedLookup(options.allowLoopback),
      // A fresh connection each time: a kept-alive socket would skip the address check of the next call.
      agent: false,
    });
    const timer = setTimeout(() => {
      request.destroy(
        new CdsError('ARGMED_CDS_FHIR_TIMEOUT', `The FHIR server did not answer the ${what} query within ${timeoutMs} ms.`),
      );
    }, timeoutMs);
    const fail = (error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof CdsError ? error : unavailable(`the ${what} query failed before an answer arrived`));
    };
    request.on('error', fail);
    request.on('response', (response: IncomingMessage) => {
      const tooLarge = () => unavailable(`the ${what} answer is larger than ${maxBytes} bytes`);
      if (Number(response.headers['content-length'] ?? '0') > maxBytes) {
        request.destroy(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) request.destroy(tooLarge());
        else chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end();
  });
}
