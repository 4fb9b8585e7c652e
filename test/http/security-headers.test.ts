/** Helmet's headers computed once are the headers @fastify/helmet sets on each request, spelled the same. */
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { addSecurityHeaders, helmetHeaders } from '../../src/http/security-headers.js';

const options = {
  contentSecurityPolicy: { useDefaults: true, directives: { 'upgrade-insecure-requests': null } },
};

/** The raw header lines of a GET / answer, without those fastify itself writes. */
async function headerLines(register: (app: ReturnType<typeof Fastify>) => Promise<void>): Promise<string[]> {
  const app = Fastify();
  await register(app);
  app.get('/', async () => 'ok');
  const res = await app.inject('/');
  await app.close();
  const lines: string[] = [];
  for (const [name, value] of Object.entries(res.headers)) {
    if (!/^(content-type|content-length|date|connection|keep-alive)$/.test(name))
      lines.push(`${name}: ${value}`);
  }
  return lines;
}

describe('security headers', () => {
  it('sets what @fastify/helmet sets', async () => {
    const expected = await headerLines(async (app) => {
      await app.register(helmet, options);
    });
    const actual = await headerLines(async (app) => addSecurityHeaders(app, options));
    expect(actual).toEqual(expected);
    expect(actual.length).toBeGreaterThan(8);
  });

  it("keeps helmet's spelling of the names and refuses invalid options at start", () => {
    const headers = helmetHeaders(options);
    expect(headers.map(([name]) => name)).toContain('Content-Security-Policy');
    expect(headers.find(([name]) => name === 'Content-Security-Policy')?.[1]).not.toContain(
      'upgrade-insecure-requests',
    );
    expect(() =>
      helmetHeaders({ contentSecurityPolicy: { directives: { 'script-src': ['self'] } } }),
    ).toThrow(/"self" should be quoted/);
  });
});
