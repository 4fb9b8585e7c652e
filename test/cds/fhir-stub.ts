/**
 * A local FHIR server for the fetch path, started by the test with node:http on a free loopback port.
 * It answers the prefetch queries of argmed's services from a fixture's prefetch, records every request
 * (path and Authorization header), and can be slow, failing, redirecting or closed to calls without a token.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StubMode = 'ok' | 'slow' | 'fail' | 'redirect' | 'not-json' | 'needs-token' | 'endless';

export interface FhirStub {
  /** Base URL, e.g. http://127.0.0.1:40123/fhir */
  url: string;
  requests: Array<{ path: string; authorization?: string; accept?: string }>;
  mode: StubMode;
  /** Delay of the slow mode. */
  delayMs: number;
  /** Where the redirect mode sends clients. */
  redirectTo?: string;
  close(): Promise<void>;
}

/**
 * @param prefetch the fixture's prefetch (keys patient, conditions, medications, labs, allergies).
 * @param patientId the patient the resources belong to.
 */
export async function startFhirStub(prefetch: Record<string, unknown>, patientId: string): Promise<FhirStub> {
  const routes = new Map<string, unknown>([
    [`/fhir/Patient/${patientId}`, prefetch.patient],
    [`/fhir/Condition?patient=${patientId}`, prefetch.conditions],
    [`/fhir/MedicationRequest?patient=${patientId}`, prefetch.medications],
    [`/fhir/Observation?patient=${patientId}&category=laboratory`, prefetch.labs],
    [`/fhir/AllergyIntolerance?patient=${patientId}`, prefetch.allergies],
  ]);
  const timers = new Set<NodeJS.Timeout>();
  const stub: FhirStub = {
    url: '',
    requests: [],
    mode: 'ok',
    delayMs: 2_000,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((request: IncomingMessage, response) => {
    const path = request.url ?? '';
    stub.requests.push({
      path,
      authorization: request.headers.authorization,
      accept: request.headers.accept,
    });
    const send = () => {
      if (stub.mode === 'needs-token' && !request.headers.authorization) {
        response.writeHead(401, { 'content-type': 'application/fhir+json', 'www-authenticate': 'Bearer' });
        response.end(
          JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }),
        );
        return;
      }
      if (stub.mode === 'fail') {
        response.writeHead(500, { 'content-type': 'application/fhir+json' });
        response.end(
          JSON.stringify({
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'fatal', code: 'exception' }],
          }),
        );
        return;
      }
      if (stub.mode === 'redirect') {
        response.writeHead(302, { location: `${stub.redirectTo}${path}` });
        response.end();
        return;
      }
      if (stub.mode === 'endless') {
        // Chunked, no content-length: a body that never ends, sent as fast as the client reads it.
        response.writeHead(200, { 'content-type': 'application/fhir+json' });
        const chunk = Buffer.alloc(65_536, 0x20);
        const pump = () => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', pump);
        };
        response.on('close', () => response.removeAllListeners('drain'));
        pump();
        return;
      }
      if (stub.mode === 'not-json') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<html>login</html>');
        return;
      }
      const body = routes.get(path);
      if (body === undefined) {
        response.writeHead(404, { 'content-type': 'application/fhir+json' });
        response.end(
          JSON.stringify({
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'not-found' }],
          }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'application/fhir+json' });
      response.end(JSON.stringify(body));
    };
    if (stub.mode === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, stub.delayMs);
      timers.add(timer);
    } else {
      send();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  return stub;
}
