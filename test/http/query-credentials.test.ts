/**
 * Regression: an API key sent in a query string was written to the log (`req.url`). Credentials in a query
 * string are refused with a 400 naming the parameter, and redacted from every logged URL.
 */
import { describe, expect, it } from 'vitest';
import { redactQuery } from '../../src/http/query-credentials.js';
import { MemoryCaseService } from '../api/support/memory-case-service.js';
import { testApp } from '../api/support/test-app.js';

describe('credentials in the query string', () => {
  it('are refused with a 400 naming the parameter and never logged, with or without API keys', async () => {
    for (const env of [{}, { ARGMED_API_KEYS: 'k-right' }] as Array<Record<string, string>>) {
      const { app, logs } = await testApp(new MemoryCaseService(), env);
      for (const [url, name] of [
        ['/v1/schemes?api_key=SECRET-1', 'api_key'],
        ['/v1/cases?limit=5&access_token=SECRET-2', 'access_token'],
        ['/metrics?token=SECRET-3', 'token'],
        ['/cds-services?API-KEY=SECRET-4', 'API-KEY'],
        ['/v1/solve?%61pi%4Bey=SECRET-5', 'apiKey'],
      ]) {
        const res = await app.inject({ method: url.startsWith('/v1/solve') ? 'POST' : 'GET', url });
        expect(res.statusCode, url).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.json()).toMatchObject({
          code: 'ARGMED_VALIDATION',
          errors: [{ path: `querystring/${name}` }],
        });
        expect(res.body).not.toContain('SECRET');
      }
      expect(logs.text).toContain('[redacted]');
      expect(logs.text).not.toContain('SECRET');
      await app.close();
    }
  });

  it('lets a signed page link through, with its signature redacted in the log', async () => {
    const { app, logs } = await testApp(new MemoryCaseService());
    const res = await app.inject({ method: 'GET', url: '/v1/cases/nope/view?exp=1&sig=SECRET-SIG' });
    expect(res.statusCode).not.toBe(400);
    expect(logs.text).toContain('/v1/cases/nope/view?exp=1&sig=[redacted]');
    expect(logs.text).not.toContain('SECRET');
    await app.close();
  });

  it('redacts credential-named and free-text parameters, keeping the known plain ones', () => {
    expect(redactQuery('/v1/cases?limit=5&token=abc&status=done&sig=x')).toBe(
      '/v1/cases?limit=5&token=[redacted]&status=done&sig=[redacted]',
    );
    expect(redactQuery('/v1/cases')).toBe('/v1/cases');
    expect(redactQuery('/v1/cases?key')).toBe('/v1/cases?key');
  });
});
