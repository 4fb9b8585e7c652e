/** API keys, rate limits, overload protection, helmet and CORS headers. */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCaseService } from './support/memory-case-service.js';
import { exampleCase, type TestApp, testApp } from './support/test-app.js';

let current: TestApp | undefined;
afterEach(async () => {
  await current?.app.close();
  current = undefined;
});

describe('API keys', () => {
  it('requires a valid bearer key on /v1 routes when keys are configured', async () => {
    const service = new MemoryCaseService();
    current = await testApp(service, { ARGMED_API_KEYS: 'key-one-aaaaaaaa, key-two-bbbbbbbb' });
    const { app } = current;
    const none = await app.inject({ method: 'POST', url: '/v1/cases', payload: exampleCase() });
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.json().code).toBe('ARGMED_UNAUTHORIZED');
    const wrong = await app.inject({
      method: 'POST',
      url: '/v1/cases',
      payload: exampleCase(),
      headers: { authorization: 'Bearer key-one-aaaaaaab' },
    });
    expect(wrong.statusCode).toBe(401);
    const basic = await app.inject({
      method: 'GET',
      url: '/v1/schemes',
      headers: { authorization: 'Basic a2V5' },
    });
    expect(basic.statusCode).toBe(401);
    expect(service.records.size).toBe(0);

    const ok = await app.inject({
      method: 'POST',
      url: '/v1/cases',
      payload: exampleCase(),
      headers: { authorization: 'Bearer key-two-bbbbbbbb' },
    });
    expect(ok.statusCode).toBe(202);
    expect(service.records.size).toBe(1);
    // Health and readiness stay open for probes; metrics need a key (they describe the traffic).
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
  });

  // Regression: /metrics needed no key while ARGMED_API_KEYS was set (and that mode listens on 0.0.0.0).
  it('protects /metrics with the API keys or its own token once keys are set, and only then', async () => {
    current = await testApp(new MemoryCaseService(), {
      ARGMED_API_KEYS: 'key-one-aaaaaaaa',
      ARGMED_METRICS_TOKEN: 'scraper-token-0123456789',
    });
    const get = (url: string, token?: string) =>
      current!.app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const open = await get('/metrics');
    expect(open.statusCode).toBe(401);
    expect(open.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(open.json().code).toBe('ARGMED_UNAUTHORIZED');
    expect((await get('/metrics', 'wrong-token-0123456789')).statusCode).toBe(401);
    expect((await get('/metrics', 'key-one-aaaaaaaa')).statusCode).toBe(200);
    const scraped = await get('/metrics', 'scraper-token-0123456789');
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toContain('http_request_duration_seconds');
    // The scraper's token opens nothing else.
    expect((await get('/v1/schemes', 'scraper-token-0123456789')).statusCode).toBe(401);
    await current.app.close();
    current = await testApp(new MemoryCaseService());
    expect((await get('/metrics')).statusCode).toBe(200);
  });

  it('leaves /v1 open without keys', async () => {
    current = await testApp(new MemoryCaseService());
    expect((await current.app.inject({ method: 'GET', url: '/v1/schemes' })).statusCode).toBe(200);
  });
});

describe('rate limit', () => {
  it('answers 429 problem+json with Retry-After past the limit, per key', async () => {
    current = await testApp(new MemoryCaseService(), {
      ARGMED_RATE_LIMIT: '3',
      ARGMED_API_KEYS: 'alpha-key-123,beta-key-456',
    });
    const { app } = current;
    const get = (key: string) =>
      app.inject({ method: 'GET', url: '/v1/schemes', headers: { authorization: `Bearer ${key}` } });
    for (let i = 0; i < 3; i++) expect((await get('alpha-key-123')).statusCode).toBe(200);
    const limited = await get('alpha-key-123');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().code).toBe('ARGMED_RATE_LIMITED');
    // Another key has its own budget.
    expect((await get('beta-key-456')).statusCode).toBe(200);
  });

  // Regression: buckets were keyed by any token, verified or not, so a new random token each time was never
  // limited, and wrong keys were never limited at all (unlimited guessing).
  it('limits requests with missing or wrong keys per address, and a valid key keeps its own budget', async () => {
    current = await testApp(new MemoryCaseService(), {
      ARGMED_RATE_LIMIT: '5',
      ARGMED_AUTH_FAILURE_LIMIT: '3',
      ARGMED_API_KEYS: 'alpha-key-123',
    });
    const get = (token?: string) =>
      current!.app.inject({
        method: 'GET',
        url: '/v1/schemes',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(`guess-${Math.random()}`)).statusCode);
    statuses.push((await get()).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await get('another-guess');
    expect(limited.json()).toMatchObject({ code: 'ARGMED_RATE_LIMITED' });
    expect(limited.json().detail).toMatch(/without a valid API key from this address/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get('alpha-key-123')).statusCode).toBe(200);
    // Another address has its own failure budget.
    const elsewhere = await current.app.inject({
      method: 'GET',
      url: '/v1/schemes',
      remoteAddress: '10.9.8.7',
      headers: { authorization: 'Bearer nope' },
    });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('buckets by address without keys, whatever token is sent', async () => {
    current = await testApp(new MemoryCaseService(), { ARGMED_RATE_LIMIT: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await current.app.inject({
        method: 'GET',
        url: '/v1/schemes',
        headers: { authorization: `Bearer random-${i}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('limits the CDS Hooks routes per address, counting calls that fail authentication', async () => {
    current = await testApp(new MemoryCaseService(), { ARGMED_RATE_LIMIT: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await current.app.inject({
        method: 'GET',
        url: '/cds-services',
        headers: { authorization: `Bearer forged-${i}` },
      });
      statuses.push(res.statusCode);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('overload', () => {
  it('answers 503 problem+json with Retry-After when the event loop is blocked', async () => {
    current = await testApp(
      new MemoryCaseService(),
      {},
      { pressure: { maxEventLoopDelay: 20, sampleInterval: 5 } },
    );
    const { app } = current;
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // Block the event loop so the sampled delay passes the limit.
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
    const res = await app.inject({ method: 'GET', url: '/v1/schemes' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().code).toBe('ARGMED_OVERLOADED');
    expect(res.headers['retry-after']).toBeDefined();
  });
});

describe('headers', () => {
  it('sets helmet headers, a request id, and CORS only for configured origins', async () => {
    current = await testApp(new MemoryCaseService(), { ARGMED_CORS_ORIGIN: 'https://ehr.example.org' });
    const { app } = current;
    const res = await app.inject({
      method: 'GET',
      url: '/v1/schemes',
      headers: { origin: 'https://ehr.example.org', 'x-request-id': 'trace-42' },
    });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toBe('trace-42');
    expect(res.headers['access-control-allow-origin']).toBe('https://ehr.example.org');
    const other = await app.inject({
      method: 'GET',
      url: '/v1/schemes',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
