/**
 * CDS client authentication with keys generated in the test: a valid ES384 token passes; expired, wrong
 * audience, HS256, `alg: none`, a replayed jti, an unknown issuer, a wrong key and a missing header are each
 * refused with the same 401 problem that says nothing about why. Issuer keys come inline or from a JWKS URL
 * served by a local server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIssuers } from '../../src/cds/auth.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { MemoryCaseService } from '../api/support/memory-case-service.js';
import { testApp } from '../api/support/test-app.js';
import { buildCdsApp, FIXTURE_NOW, fixture } from './helpers.js';

const PUBLIC_URL = 'https://cds.example.org';
const ISSUER = 'https://ehr.example.org/';
const REMOTE_ISSUER = 'https://other-ehr.example.org/';
const SERVICE_URL = `${PUBLIC_URL}/cds-services/argmed-order-sign`;
const nowS = Math.floor(FIXTURE_NOW / 1000);

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let privateKey: Key;
let remoteKey: Key;
let strangerKey: Key;
let app: FastifyInstance;
let jwksServer: Server;
let jwksHits = 0;

async function publicJwk(
  key: Awaited<ReturnType<typeof generateKeyPair>>['publicKey'],
  kid: string,
): Promise<JWK> {
  return { ...(await exportJWK(key)), kid, alg: 'ES384', use: 'sig' };
}

interface TokenOptions {
  iss?: string;
  aud?: string | string[];
  exp?: number;
  iat?: number;
  jti?: string;
  key?: Key;
  kid?: string;
}

let counter = 0;
function token(options: TokenOptions = {}): Promise<string> {
  counter += 1;
  return new SignJWT({ tenant: 'test-tenant' })
    .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: options.kid ?? 'ehr-key-1' })
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? SERVICE_URL)
    .setIssuedAt(options.iat ?? nowS - 5)
    .setExpirationTime(options.exp ?? nowS + 300)
    .setJti(options.jti ?? `jti-${counter}-${Math.random()}`)
    .sign(options.key ?? privateKey);
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function call(authorization: string | undefined, url = '/cds-services/argmed-order-sign') {
  const headers = authorization === undefined ? {} : { authorization };
  const response =
    url === '/cds-services'
      ? await app.inject({ method: 'GET', url, headers })
      : await app.inject({ method: 'POST', url, headers, payload: fixture('order-sign') });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

beforeAll(async () => {
  const local = await generateKeyPair('ES384');
  const remote = await generateKeyPair('ES384');
  const stranger = await generateKeyPair('ES384');
  privateKey = local.privateKey;
  remoteKey = remote.privateKey;
  strangerKey = stranger.privateKey;
  const remoteJwks = { keys: [await publicJwk(remote.publicKey, 'remote-key')] };
  jwksServer = createServer((_request, response) => {
    jwksHits += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(remoteJwks));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
  const issuers = [
    { iss: ISSUER, jwks: { keys: [await publicJwk(local.publicKey, 'ehr-key-1')] } },
    { iss: REMOTE_ISSUER, jwksUrl },
  ];
  app = await buildCdsApp({ ARGMED_CDS_ISSUERS: JSON.stringify(issuers), ARGMED_PUBLIC_URL: PUBLIC_URL });
});

afterAll(async () => {
  await app.close();
  await new Promise<void>((resolve) => jwksServer.close(() => resolve()));
});

/** Every refusal is this same problem: no reason, no hint. */
function expectRefused(result: Awaited<ReturnType<typeof call>>): void {
  expect(result.status).toBe(401);
  expect(result.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(result.headers['www-authenticate']).toBe('Bearer');
  const { instance, requestId, ...rest } = result.body;
  expect(rest).toEqual({
    type: 'urn:argmed:problem:cds-unauthorized',
    title: 'Unauthorized',
    status: 401,
    detail: 'The request is not authenticated.',
    code: 'ARGMED_CDS_UNAUTHORIZED',
  });
}

describe('accepted', () => {
  it('a valid ES384 token from an allowlisted issuer with inline keys', async () => {
    const result = await call(`Bearer ${await token()}`);
    expect(result.status).toBe(200);
    expect(result.body.cards[0].indicator).toBe('critical');
  });

  it('aud given as an array holding the called URL', async () => {
    expect((await call(`Bearer ${await token({ aud: [SERVICE_URL] })}`)).status).toBe(200);
  });

  it('discovery with a token addressed to the discovery URL', async () => {
    const result = await call(
      `Bearer ${await token({ aud: `${PUBLIC_URL}/cds-services` })}`,
      '/cds-services',
    );
    expect(result.status).toBe(200);
    expect(result.body.services).toHaveLength(3);
  });

  it('keys fetched from the issuer JWKS URL', async () => {
    const result = await call(
      `Bearer ${await token({ iss: REMOTE_ISSUER, key: remoteKey, kid: 'remote-key' })}`,
    );
    expect(result.status).toBe(200);
    expect(jwksHits).toBeGreaterThan(0);
  });
});

describe('refused with the same 401', () => {
  it('no Authorization header', async () => {
    expectRefused(await call(undefined));
  });

  it('a header that is not a bearer JWT', async () => {
    expectRefused(await call('Basic dXNlcjpwYXNz'));
    expectRefused(await call('Bearer not-a-jwt'));
  });

  it('an expired token', async () => {
    expectRefused(await call(`Bearer ${await token({ iat: nowS - 900, exp: nowS - 600 })}`));
  });

  it('a token for another URL (wrong aud)', async () => {
    expectRefused(
      await call(`Bearer ${await token({ aud: `${PUBLIC_URL}/cds-services/argmed-patient-view` })}`),
    );
    expectRefused(
      await call(`Bearer ${await token({ aud: 'https://evil.example.com/cds-services/argmed-order-sign' })}`),
    );
  });

  it('an HS256 token (a shared secret, which the spec forbids)', async () => {
    const secret = new TextEncoder().encode('a-shared-secret-of-thirty-two-bytes!');
    const hs = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(SERVICE_URL)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 300)
      .setJti('hs-1')
      .sign(secret);
    expectRefused(await call(`Bearer ${hs}`));
  });

  it('an unsigned token (alg: none)', async () => {
    const claims = { iss: ISSUER, aud: SERVICE_URL, iat: nowS, exp: nowS + 300, jti: 'none-1' };
    expectRefused(await call(`Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`));
  });

  it('a replayed jti', async () => {
    const once = await token({ jti: 'replay-me' });
    expect((await call(`Bearer ${once}`)).status).toBe(200);
    expectRefused(await call(`Bearer ${once}`));
    // A fresh token with the same jti is a replay too, while the first one lives.
    expectRefused(await call(`Bearer ${await token({ jti: 'replay-me' })}`));
  });

  it('an unknown issuer', async () => {
    expectRefused(await call(`Bearer ${await token({ iss: 'https://unknown.example.org/' })}`));
  });

  it('a known issuer but a key it does not publish', async () => {
    expectRefused(await call(`Bearer ${await token({ key: strangerKey })}`));
  });

  it('a token living longer than an hour', async () => {
    expectRefused(await call(`Bearer ${await token({ exp: nowS + 7_200 })}`));
  });

  it('a token issued in the future', async () => {
    expectRefused(await call(`Bearer ${await token({ iat: nowS + 600, exp: nowS + 900 })}`));
  });

  it('feedback needs a token too', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign/feedback',
      payload: fixture('spec/feedback-overridden'),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('configuration', () => {
  it('ARGMED_CDS_ISSUERS that is not JSON, or not a list of issuers, stops start-up naming the variable', () => {
    expect(() => parseIssuers('{nope')).toThrow(ConfigError);
    expect(() => parseIssuers('[{"iss":"x"}]')).toThrow(
      /ARGMED_CDS_ISSUERS: .*exactly one of jwksUrl and jwks/,
    );
    expect(() => parseIssuers('[{"iss":"x","jwksUrl":"ftp://k"}]')).toThrow(/ARGMED_CDS_ISSUERS/);
    expect(() =>
      parseIssuers('[{"iss":"x","jwksUrl":"https://a/k"},{"iss":"x","jwksUrl":"https://b/k"}]'),
    ).toThrow(/listed twice/);
    expect(parseIssuers(undefined)).toEqual([]);
  });

  // Regression: without ARGMED_PUBLIC_URL the audience check and card links silently followed the Host header.
  it('issuers without ARGMED_PUBLIC_URL: a warning at start, and no start at all in production', async () => {
    const issuers = '[{"iss":"https://ehr.example","jwksUrl":"https://ehr.example/jwks"}]';
    expect(() => loadConfig({ ARGMED_CDS_ISSUERS: issuers, NODE_ENV: 'production' })).toThrow(
      /^ARGMED_PUBLIC_URL: must be set .*Host header/,
    );
    expect(() =>
      loadConfig({
        ARGMED_CDS_ISSUERS: issuers,
        NODE_ENV: 'production',
        ARGMED_PUBLIC_URL: 'https://cds.example',
      }),
    ).not.toThrow();
    const { app, logs } = await testApp(new MemoryCaseService(), { ARGMED_CDS_ISSUERS: issuers });
    expect(logs.text).toMatch(/ARGMED_CDS_ISSUERS is set without ARGMED_PUBLIC_URL/);
    await app.close();
    const withUrl = await testApp(new MemoryCaseService(), {
      ARGMED_CDS_ISSUERS: issuers,
      ARGMED_PUBLIC_URL: 'https://cds.example',
    });
    expect(withUrl.logs.text).not.toMatch(/without ARGMED_PUBLIC_URL/);
    await withUrl.app.close();
  });

  it('without issuers every call is refused', async () => {
    const closed = await buildCdsApp({});
    const response = await closed.inject({
      method: 'POST',
      url: '/cds-services/argmed-order-sign',
      payload: fixture('order-sign'),
    });
    expect(response.statusCode).toBe(401);
    await closed.close();
  });

  it('ARGMED_CDS_INSECURE=1 accepts calls without a token and warns at start', async () => {
    const lines: string[] = [];
    const { default: Fastify } = await import('fastify');
    const { cdsHooksPlugin } = await import('../../src/cds/cds-hooks-plugin.js');
    const { loadConfig } = await import('../../src/config.js');
    const { knowledgeReasoning } = await import('./helpers.js');
    const { serializerCompiler, validatorCompiler } = await import('fastify-type-provider-zod');
    const open = Fastify({
      logger: { level: 'warn', stream: { write: (line: string) => lines.push(line) } },
    });
    open.setValidatorCompiler(validatorCompiler);
    open.setSerializerCompiler(serializerCompiler);
    await open.register(cdsHooksPlugin, {
      config: loadConfig({ ARGMED_CDS_INSECURE: '1' }),
      ...(await knowledgeReasoning()),
    });
    await open.ready();
    expect(lines.join('')).toMatch(
      /ARGMED_CDS_INSECURE=1: CDS Hooks calls are accepted WITHOUT authentication/,
    );
    const response = await open.inject({ method: 'GET', url: '/cds-services' });
    expect(response.statusCode).toBe(200);
    await open.close();
  });
});
