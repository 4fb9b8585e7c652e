/**
 * The fetch path: when the client sends no (or partial) prefetch but gives fhirServer and
 * fhirAuthorization, argmed reads exactly the missing prefetch queries from a local FHIR server with the
 * bearer token; slow, failing, redirecting and non-FHIR servers end in 412 without hanging.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCdsApp, fixture, type Json } from './helpers.js';
import { type FhirStub, startFhirStub } from './fhir-stub.js';

const TOKEN = 'fhir-access-token-for-argmed';

let app: FastifyInstance;
let stub: FhirStub;
let other: FhirStub;

beforeAll(async () => {
  const prefetch = fixture<Json>('order-sign').prefetch;
  stub = await startFhirStub(prefetch, 'pt-4821');
  other = await startFhirStub(prefetch, 'pt-4821');
  app = await buildCdsApp({ ARGMED_CDS_INSECURE: '1', ARGMED_CDS_FHIR_LOOPBACK: '1' }, { fhirTimeoutMs: 1_000 });
  stub.delayMs = 5_000;
  // The first fetch of a process pays for setting up the HTTP client; keep that out of the timed tests.
  await fetch(`${stub.url}/metadata`).then((response) => response.text());
});
beforeEach(() => {
  stub.requests.length = 0;
  other.requests.length = 0;
});
afterAll(async () => {
  await app.close();
  await stub.close();
  await other.close();
});
afterEach(() => {
  stub.mode = 'ok';
  other.mode = 'ok';
  stub.requests.length = 0;
  other.requests.length = 0;
});

function withFhirAccess(request: Json, keep: string[] = []): Json {
  request.prefetch = Object.fromEntries(
    Object.entries(request.prefetch).filter(([key]) => keep.includes(key)),
  );
  request.fhirServer = stub.url;
  request.fhirAuthorization = {
    access_token: TOKEN,
    token_type: 'Bearer',
    expires_in: 300,
    scope:
      'user/Patient.read user/Condition.read user/MedicationRequest.read user/Observation.read user/AllergyIntolerance.read',
    subject: 'argmed',
  };
  return request;
}

async function call(body: Json) {
  const started = performance.now();
  const response = await app.inject({
    method: 'POST',
    url: '/cds-services/argmed-order-sign',
    payload: body,
  });
  return { status: response.statusCode, body: response.json() as Json, ms: performance.now() - started };
}

describe('fetching what prefetch lacks', () => {
  it('reads the five prefetch queries with the bearer token and argues the same critical card', async () => {
    const { status, body } = await call(withFhirAccess(fixture('order-sign')));
    expect(status).toBe(200);
    expect(body.cards[0].indicator).toBe('critical');
    expect(stub.requests.map((r) => r.path).sort()).toEqual([
      '/fhir/AllergyIntolerance?patient=pt-4821',
      '/fhir/Condition?patient=pt-4821',
      '/fhir/MedicationRequest?patient=pt-4821',
      '/fhir/Observation?patient=pt-4821&category=laboratory',
      '/fhir/Patient/pt-4821',
    ]);
    for (const request of stub.requests) {
      expect(request.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.accept).toMatch(/application\/fhir\+json/);
    }
  });

  it('reads only the keys the client did not prefetch', async () => {
    const { status } = await call(withFhirAccess(fixture('order-sign'), ['patient', 'conditions', 'labs']));
    expect(status).toBe(200);
    expect(stub.requests.map((r) => r.path).sort()).toEqual([
      '/fhir/AllergyIntolerance?patient=pt-4821',
      '/fhir/MedicationRequest?patient=pt-4821',
    ]);
  });

  it('treats an OperationOutcome in prefetch as missing and fetches that key', async () => {
    const request = withFhirAccess(fixture('order-sign'), ['patient', 'conditions', 'labs', 'medications']);
    request.prefetch.allergies = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'timeout' }],
    };
    const { status, body } = await call(request);
    expect(status).toBe(200);
    expect(stub.requests.map((r) => r.path)).toEqual(['/fhir/AllergyIntolerance?patient=pt-4821']);
    expect(body.cards[0].indicator).toBe('critical');
  });

  it('a null prefetch value means "no data", is not fetched, and the card says the list was not available', async () => {
    const request = withFhirAccess(fixture('order-sign'), ['patient', 'conditions', 'labs', 'medications']);
    request.prefetch.allergies = null;
    const { status, body } = await call(request);
    expect(status).toBe(200);
    expect(stub.requests).toHaveLength(0);
    // Not "info": without the allergy list the order is not cleared of allergies.
    expect(body.cards[0].indicator).toBe('warning');
    expect(body.cards[0].detail).toMatch(/The allergy list was not available/);
  });

  it("the spec's patient-view example, pointed at the local server, is answered from it", async () => {
    const request = fixture<Json>('spec/patient-view-request');
    request.fhirServer = stub.url;
    request.context.patientId = 'pt-4821';
    const response = await app.inject({
      method: 'POST',
      url: '/cds-services/argmed-patient-view',
      payload: request,
    });
    expect(response.statusCode).toBe(200);
    expect(stub.requests).toHaveLength(5);
    expect(stub.requests[0].authorization).toBe('Bearer some-opaque-fhir-access-token');
    expect(response.json().cards.length).toBeGreaterThan(0);
  });
});

describe('best-effort prefetch without fhirAuthorization', () => {
  it('reads what is missing from an open FHIR server without a token', async () => {
    const request = withFhirAccess(fixture('order-sign'), ['patient', 'conditions', 'labs', 'medications']);
    delete request.fhirAuthorization;
    const { status, body } = await call(request);
    expect(status).toBe(200);
    expect(stub.requests.map((r) => r.path)).toEqual(['/fhir/AllergyIntolerance?patient=pt-4821']);
    expect(stub.requests[0].authorization).toBeUndefined();
    expect(body.cards[0].indicator).toBe('critical');
  });

  it('answers 412 naming the refusal when the FHIR server wants a token', async () => {
    stub.mode = 'needs-token';
    const request = withFhirAccess(fixture('order-sign'), ['patient', 'conditions', 'labs', 'medications']);
    delete request.fhirAuthorization;
    const { status, body } = await call(request);
    expect(status).toBe(412);
    expect(body.code).toBe('ARGMED_CDS_FHIR_UNAVAILABLE');
    expect(body.detail).toMatch(/refused without fhirAuthorization \(HTTP 401\)/);
    // With the token the same server answers.
    const { status: withToken } = await call(
      withFhirAccess(fixture('order-sign'), ['patient', 'conditions', 'labs', 'medications']),
    );
    expect(withToken).toBe(200);
  });
});

describe('FHIR servers that do not deliver', () => {
  it('a slow server times out: 412 within the timeout, not after the server answers', async () => {
    stub.mode = 'slow';
    const { status, body, ms } = await call(withFhirAccess(fixture('order-sign')));
    expect(status).toBe(412);
    expect(body.code).toBe('ARGMED_CDS_FHIR_TIMEOUT');
    expect(ms).toBeLessThan(3_000);
  });

  it('a failing server: 412 naming the status, nothing else tried', async () => {
    stub.mode = 'fail';
    const { status, body } = await call(withFhirAccess(fixture('order-sign')));
    expect(status).toBe(412);
    expect(body.code).toBe('ARGMED_CDS_FHIR_UNAVAILABLE');
    expect(body.detail).toMatch(/HTTP 500/);
    expect(stub.requests.length).toBeLessThanOrEqual(5);
  });

  it('a redirect is not followed, so the token never reaches another host', async () => {
    stub.mode = 'redirect';
    stub.redirectTo = other.url.replace(/\/fhir$/, '');
    const { status } = await call(withFhirAccess(fixture('order-sign')));
    expect(status).toBe(412);
    expect(other.requests).toHaveLength(0);
  });

  // Regression: the size limit was checked after the whole body had been read, so a chunked answer without a
  // content-length was read into memory until the timeout.
  it('an answer past the size limit is cut off as it arrives: 412 naming the size, well within the timeout', async () => {
    stub.mode = 'endless';
    // A timeout long enough that reading 8 MiB five times over on a loaded machine never reaches it.
    const roomy = await buildCdsApp({ ARGMED_CDS_INSECURE: '1', ARGMED_CDS_FHIR_LOOPBACK: '1' }, { fhirTimeoutMs: 20_000 });
    try {
      const started = performance.now();
      const response = await roomy.inject({
        method: 'POST',
        url: '/cds-services/argmed-order-sign',
        payload: withFhirAccess(fixture('order-sign')),
      });
      expect(response.statusCode).toBe(412);
      expect(response.json().code).toBe('ARGMED_CDS_FHIR_UNAVAILABLE');
      expect(response.json().detail).toMatch(/larger than 8388608 bytes/);
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      await roomy.close();
    }
  });

  it('an answer that is not FHIR JSON: 412', async () => {
    stub.mode = 'not-json';
    const { status, body } = await call(withFhirAccess(fixture('order-sign')));
    expect(status).toBe(412);
    expect(body.detail).toMatch(/not JSON/);
  });

  it('the access token never appears in the answer', async () => {
    stub.mode = 'fail';
    const response = await app.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign',
      payload: withFhirAccess(fixture('order-sign')),
    });
    expect(response.body).not.toContain(TOKEN);
  });
});

// Regression (SSRF): any caller able to reach a CDS service made argmed GET its own host's ports (the
// database's, the service's own) and the cloud metadata address, and told apart "no answer", "HTTP 404" and
// "not FHIR": a scanner of the internal network. Loopback is refused unless ARGMED_CDS_FHIR_LOOPBACK=1;
// link-local, unspecified and multicast addresses always are, checked on the address connected to.
describe('fhirServer addresses argmed does not call', () => {
  let guarded: FastifyInstance;
  beforeAll(async () => {
    guarded = await buildCdsApp({ ARGMED_CDS_INSECURE: '1' }, { fhirTimeoutMs: 1_000 });
  });
  afterAll(async () => guarded?.close());

  it.each([
    ['the loopback address of the stub', () => stub.url, '127.0.0.1'],
    ['a host name that resolves to loopback', () => stub.url.replace('127.0.0.1', 'localhost'), 'loopback'],
    ['loopback in another spelling', () => stub.url.replace('127.0.0.1', '2130706433'), '127.0.0.1'],
    ['IPv6 loopback', () => stub.url.replace('127.0.0.1', '[::1]'), '::1'],
    ['the unspecified address', () => stub.url.replace('127.0.0.1', '0.0.0.0'), '0.0.0.0'],
    ['a link-local address (where cloud metadata lives)', () => 'http://169.254.0.9/fhir', '169.254.0.9'],
    ['IPv4-mapped loopback', () => stub.url.replace('127.0.0.1', '[::ffff:127.0.0.1]'), 'loopback'],
  ])('%s: 412 naming fhirServer, and no request is made', async (_name, url, shown) => {
    const request = withFhirAccess(fixture('order-sign'));
    request.fhirServer = url();
    const response = await guarded.inject({ method: 'POST', url: '/cds-services/argmed-order-sign', payload: request });
    expect(response.statusCode, response.body).toBe(412);
    const body = response.json();
    expect(body.code).toBe('ARGMED_CDS_FHIR_UNAVAILABLE');
    expect(body.detail).toMatch(/fhirServer/);
    expect(body.detail).toContain(shown);
    expect(stub.requests).toHaveLength(0);
  });
});
