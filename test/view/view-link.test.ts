/**
 * Signed view links: the HMAC link opens its own case's page in a browser without an API key until it
 * expires; a changed signature, another case's id, a changed expiry or an expired link answer 401 with a
 * page that says why, and the JSON routes still need the bearer key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createViewLinks } from '../../src/view/index.js';
import { MemoryCaseService } from '../api/support/memory-case-service.js';
import { exampleCase, type TestApp, testApp } from '../api/support/test-app.js';

const SECRET = 'a-test-secret-of-at-least-32-characters!';
const KEY = 'test-api-key';

describe('createViewLinks', () => {
  it('accepts its own link until it expires, and nothing else', () => {
    let clock = 1_800_000_000_000;
    const links = createViewLinks({ secret: SECRET, ttlSeconds: 600, now: () => clock });
    const url = new URL(links.path('case/1'), 'http://x');
    expect(url.pathname).toBe('/v1/cases/case%2F1/view');
    const exp = url.searchParams.get('exp') ?? undefined;
    const sig = url.searchParams.get('sig') ?? undefined;
    expect(links.check('case/1', exp, sig)).toBe('valid');
    expect(links.check('case/2', exp, sig)).toBe('forged');
    expect(links.check('case/1', String(Number(exp) + 3600), sig)).toBe('forged');
    expect(links.check('case/1', exp, `${sig?.slice(0, -2)}AA`)).toBe('forged');
    expect(links.check('case/1', exp, undefined)).toBe('forged');
    expect(links.check('case/1', 'soon', sig)).toBe('forged');
    const other = createViewLinks({ secret: `${SECRET}-other`, ttlSeconds: 600, now: () => clock });
    expect(other.check('case/1', exp, sig)).toBe('forged');
    clock += 601_000;
    expect(links.check('case/1', exp, sig)).toBe('expired');
  });
});

describe('rating links', () => {
  it("open their run's rating page for their rater until they expire, and pass for nothing else", () => {
    let clock = 1_800_000_000_000;
    const links = createViewLinks({ secret: SECRET, ttlSeconds: 600, rateTtlSeconds: 86_400, now: () => clock });
    const { path, expiresAt } = links.ratePath('ev-0123456789abcdef', 'Dr A & B');
    const url = new URL(path, 'http://x');
    expect(url.pathname).toBe('/v1/evaluations/ev-0123456789abcdef/rate');
    expect(url.searchParams.get('rater')).toBe('Dr A & B');
    expect(expiresAt.getTime()).toBe(clock + 86_400_000);
    const exp = url.searchParams.get('exp') ?? undefined;
    const sig = url.searchParams.get('sig') ?? undefined;
    expect(links.checkRate('ev-0123456789abcdef', 'Dr A & B', exp, sig)).toBe('valid');
    expect(links.checkRate('ev-0123456789abcdef', 'Dr A', exp, sig)).toBe('forged');
    expect(links.checkRate('ev-fedcba9876543210', 'Dr A & B', exp, sig)).toBe('forged');
    // One kind never passes for the other.
    expect(links.check('ev-0123456789abcdef', exp, sig)).toBe('forged');
    const view = new URL(links.path('ev-0123456789abcdef'), 'http://x');
    expect(links.checkRate('ev-0123456789abcdef', '', view.searchParams.get('exp') ?? undefined, view.searchParams.get('sig') ?? undefined)).toBe('forged');
    clock += 86_401_000;
    expect(links.checkRate('ev-0123456789abcdef', 'Dr A & B', exp, sig)).toBe('expired');
  });
});

describe('the graph page behind API keys', () => {
  let current: TestApp | undefined;
  afterEach(async () => {
    await current?.app.close();
    current = undefined;
  });

  async function submitted() {
    current = await testApp(new MemoryCaseService(), { ARGMED_API_KEYS: KEY, ARGMED_VIEW_SECRET: SECRET });
    const app = current.app;
    const res = await app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      headers: { authorization: `Bearer ${KEY}` },
      payload: exampleCase(),
    });
    expect(res.statusCode).toBe(200);
    return { app, id: res.json().id as string, view: res.json().links.view as string };
  }

  it('opens with the signed link the API prints, without a bearer key', async () => {
    const { app, id, view } = await submitted();
    expect(view).toMatch(/\?exp=\d+&sig=/);
    const page = await app.inject({ method: 'GET', url: view });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('Community-acquired pneumonia');
    // The JSON routes still need the key, and so does the page without a signature.
    expect((await app.inject({ method: 'GET', url: `/v1/cases/${id}` })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: `/v1/cases/${id}/graph?format=json&sig=x` })).statusCode,
    ).toBe(401);
    expect((await app.inject({ method: 'GET', url: `/v1/cases/${id}/view` })).statusCode).toBe(401);
  });

  it('refuses a forged, a moved and an expired link with a 401 page that says why (problem+json to a non-browser)', async () => {
    const { app, id, view } = await submitted();
    const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const forgedUrl = view.replace(/sig=.{4}/, 'sig=AAAA');
    const forged = await app.inject({ method: 'GET', url: forgedUrl, headers: browser });
    expect(forged.statusCode).toBe(401);
    expect(forged.headers['content-type']).toMatch(/text\/html/);
    expect(forged.body).toContain('not valid');
    expect(forged.body).not.toContain('Community-acquired pneumonia');
    const client = await app.inject({ method: 'GET', url: forgedUrl });
    expect(client.statusCode).toBe(401);
    expect(client.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(client.json()).toMatchObject({ code: 'ARGMED_UNAUTHORIZED', status: 401 });
    expect(client.body).not.toContain('Community-acquired pneumonia');

    const other = await app.inject({
      method: 'POST',
      url: '/v1/cases?wait=true',
      headers: { authorization: `Bearer ${KEY}` },
      payload: exampleCase({ title: 'Another case' }),
    });
    const moved = await app.inject({ method: 'GET', url: view.replace(id, other.json().id) });
    expect(moved.statusCode).toBe(401);

    const past = createViewLinks({ secret: SECRET, ttlSeconds: 60, now: () => Date.now() - 3_600_000 });
    const expired = await app.inject({ method: 'GET', url: past.path(id), headers: browser });
    expect(expired.statusCode).toBe(401);
    expect(expired.body).toContain('expired');
  });
});
