/**
 * The security headers of every answer (helmet's, configured in app.ts), computed once. @fastify/helmet
 * builds helmet's whole middleware stack again for every request (parsing the CSP directives each time,
 * about a tenth of the CPU of a trivial route); with static directives the headers depend on the
 * configuration only. So @fastify/helmet runs once, at start, on a probe app, and each request then sets
 * the headers it produced the way helmet sets them: on the raw response in `onRequest`, so a route's own
 * header (Swagger UI's CSP) still wins.
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The headers @fastify/helmet sets with `options`, as it sets them before a route runs.
 * @throws when the options make a header depend on the request (a CSP nonce): they cannot be computed once
 */
export async function helmetHeaders(options: FastifyHelmetOptions): Promise<Array<[string, string]>> {
  if (options.enableCSPNonces) throw new Error('security headers: CSP nonces differ by request');
  const probe = Fastify();
  let headers: Array<[string, string]> = [];
  try {
    await probe.register(helmet, options);
    probe.get('/', async (_request, reply) => {
      // Raw names keep helmet's spelling (`Content-Security-Policy`), as it appears on the wire
      // (`getRawHeaderNames` is Node's since 15.13, missing from @types/node 20).
      const raw = reply.raw as typeof reply.raw & { getRawHeaderNames(): string[] };
      headers = raw.getRawHeaderNames().map((name) => [name, String(raw.getHeader(name))]);
      return '';
    });
    await probe.inject('/');
  } finally {
    await probe.close();
  }
  return headers;
}

/** Sets helmet's headers (see {@link helmetHeaders}) on every answer of `app`. */
export async function addSecurityHeaders(app: FastifyInstance, options: FastifyHelmetOptions): Promise<void> {
  const headers = await helmetHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
