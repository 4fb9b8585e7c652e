/**
 * The security headers of every answer (helmet's, configured in build-app.ts), computed once. @fastify/helmet
 * builds helmet's whole middleware stack again for every request (parsing the CSP directives each time,
 * about a tenth of the CPU of a trivial route); with static directives the headers depend on the
 * configuration only. So helmet runs once, at start, on a response that is never sent, and each request then
 * sets the headers it produced the way @fastify/helmet sets them: on the raw response in `onRequest`, so a
 * route's own header (Swagger UI's CSP) still wins. Running helmet directly rather than @fastify/helmet on a
 * probe app saves the probe's fastify instance and injected request (about 25 ms of CPU at every start).
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The headers helmet sets with `options`, names spelled as helmet spells them (`Content-Security-Policy`).
 * Options are helmet's; per-request CSP nonces (@fastify/helmet's `enableCSPNonces`) cannot be computed once.
 * @throws helmet's error for invalid options (a CSP directive it does not accept)
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Array<[string, string]> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  helmet(options)(request, response, (error) => {
    if (error) throw error;
  });
  // `getRawHeaderNames` is Node's since 15.13, missing from @types/node 20.
  const raw = response as ServerResponse & { getRawHeaderNames(): string[] };
  return raw.getRawHeaderNames().map((name) => [name, String(raw.getHeader(name))]);
}

/** Sets helmet's headers (see {@link helmetHeaders}) on every answer of `app`. */
export function addSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
