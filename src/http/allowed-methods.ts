/**
 * The methods each path answers, learnt from the routes as they are registered (`onRoute`), so that a request
 * with another method on a known path is told so: 405 with `Allow` (RFC 9110 §15.5.6), and OPTIONS answers
 * 204 with `Allow` (§9.3.7), instead of the router's 404 "no route". Lookup is a linear scan of the route
 * patterns (a few dozen), on the not-found path only.
 */
import type { FastifyInstance } from 'fastify';

/** The methods that `path` (no query) answers, sorted; empty when no route has that path. */
export type AllowedMethods = (path: string) => string[];

/** A route's URL pattern (`/v1/cases/:id`, `/docs/*`) as a regular expression over request paths. */
function patternOf(url: string): RegExp {
  const source = url
    .replace(/\/+$/, '')
    .split('/')
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/**
 * Starts recording the routes of `app` (call before any route is added).
 * @returns the lookup of a path's methods.
 */
export function recordAllowedMethods(app: FastifyInstance): AllowedMethods {
  const routes: Array<{ pattern: RegExp; methods: string[] }> = [];
  app.addHook('onRoute', (route) => {
    // A catch-all (the CORS plugin's `OPTIONS *`) says nothing about which paths exist.
    if (/^\/?\*$/.test(route.url)) return;
    const methods = ([] as string[]).concat(route.method);
    // fastify answers HEAD on every GET route; OPTIONS is answered for every known path (204 with Allow).
    if (methods.includes('GET')) methods.push('HEAD');
    routes.push({ pattern: patternOf(route.url), methods: [...methods, 'OPTIONS'] });
  });
  return function allowedMethods(path) {
    const allowed = new Set<string>();
    for (const { pattern, methods } of routes) {
      if (pattern.test(path)) for (const method of methods) allowed.add(method);
    }
    return [...allowed].sort();
  };
}
