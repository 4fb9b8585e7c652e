/**
 * Two replicas behind one address: two `argmed serve` processes on one PostgreSQL schema and one Redis key
 * prefix, with CDS client authentication on. A card answered by one replica takes feedback through the
 * other, after that other has restarted (the card registry is in Redis); a token used on one replica is
 * refused on the other (the `jti` replay cache is in Redis); the feedback is stored with the case.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBuilt, kill, type ServeProcess, startServeProcess } from '../api/support/serve-process.js';
import { fixture } from '../cds/helpers.js';

const DATABASE_URL = process.env.DATABASE_URL ?? '';
const REDIS_URL = process.env.REDIS_URL ?? '';
const services = /^postgres(ql)?:\/\//.test(DATABASE_URL) && REDIS_URL !== '';
if (!services)
  console.warn(
    'replicas test skipped: it needs DATABASE_URL=postgres://... and REDIS_URL (.ci/run sets both)',
  );

const id = randomBytes(4).toString('hex');
const schema = `replicas_${id}`;
const prefix = `argmed-replicas-${id}`;
const ISSUER = 'https://ehr.replicas.test';
const PUBLIC_URL = 'http://argmed.replicas.test';
const API_KEY = 'replica-test-key';
const running = new Set<ServeProcess>();

afterAll(async () => {
  for (const server of running) await kill(server.child);
  if (!services) return;
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe.skipIf(!cliBuilt || !services)('two replicas on one PostgreSQL and Redis', () => {
  it('share the card registry across a restart and refuse a token replayed on the other replica', async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    const sep = DATABASE_URL.includes('?') ? '&' : '?';
    const databaseUrl = `${DATABASE_URL}${sep}options=${encodeURIComponent(`-c search_path=${schema}`)}`;

    const { privateKey, publicKey } = await generateKeyPair('ES384');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES384', use: 'sig' };
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      HOST: '127.0.0.1',
      ARGMED_API_KEYS: API_KEY,
      ARGMED_PUBLIC_URL: PUBLIC_URL,
      ARGMED_VIEW_SECRET: 'the-same-view-secret-on-every-replica!',
      ARGMED_CDS_ISSUERS: JSON.stringify([{ iss: ISSUER, jwks: { keys: [jwk] } }]),
    };
    const start = async () => {
      const server = await startServeProcess(env, 50_000, ['--queue-prefix', prefix]);
      running.add(server);
      return server;
    };
    const token = (path: string) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: 'k1' })
        .setIssuer(ISSUER)
        .setAudience(`${PUBLIC_URL}${path}`)
        .setIssuedAt()
        .setExpirationTime('5m')
        .setJti(randomUUID())
        .sign(privateKey);
    const post = (server: ServeProcess, path: string, jwt: string, body: unknown) =>
      fetch(`${server.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
        body: JSON.stringify(body),
      });

    // Started one after the other: the first runs the migrations.
    const a = await start();
    let b = await start();

    const servicePath = '/cds-services/argmed-order-sign';
    const first = await token(servicePath);
    const answered = await post(a, servicePath, first, fixture('order-sign'));
    expect(answered.status).toBe(200);
    const card = (await answered.json()).cards[0];
    expect(card.uuid).toBeTruthy();
    const caseId = decodeURIComponent(/\/v1\/cases\/([^/?]+)\/view/.exec(card.links[0].url)?.[1] ?? '');
    expect(caseId).not.toBe('');

    // The same token on the other replica: refused.
    const replayed = await post(b, servicePath, first, fixture('order-sign'));
    expect(replayed.status).toBe(401);

    // Replica b restarts; feedback on a's card goes through the new b.
    await kill(b.child, 'SIGTERM');
    running.delete(b);
    b = await start();
    const feedbackPath = `${servicePath}/feedback`;
    const second = await token(feedbackPath);
    const feedback = {
      feedback: [
        {
          card: card.uuid,
          outcome: 'overridden',
          overrideReason: {
            reason: { code: 'patient-preference', system: 'http://example.org' },
            userComment: 'prefers',
          },
          outcomeTimestamp: new Date().toISOString(),
        },
      ],
    };
    const stored = await post(b, feedbackPath, second, feedback);
    expect(stored.status).toBe(200);
    expect(await stored.json()).toEqual({ stored: 1 });
    // And that token replayed on a: refused, nothing stored twice.
    expect((await post(a, feedbackPath, second, feedback)).status).toBe(401);

    const record = await (
      await fetch(`${a.base}/v1/cases/${encodeURIComponent(caseId)}`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      })
    ).json();
    expect(record.feedback).toHaveLength(1);
    expect(record.feedback[0]).toMatchObject({ outcome: 'overridden', card: card.uuid });
  }, 120_000);
});
