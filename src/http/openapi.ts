/**
 * What the OpenAPI document says beyond the route schemas, so that generated clients are good: an
 * `operationId` for every operation (derived from method and path unless the route names one), every problem
 * response a route can give declared with the one `Problem` schema of `components.schemas` (its `code` an
 * enum of docs/errors.md's table), `servers`, the licence, and `/v1/solve`'s two request bodies (a JSON
 * object, or ICCMA text as text/plain) as the route accepts them.
 */
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { PROBLEMS } from './problem-codes.js';

type Transform = typeof jsonSchemaTransform;
type TransformInput = Parameters<Transform>[0];
type JsonObject = Record<string, unknown>;

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/** The problem+json body (RFC 9457 with argmed's members), as JSON Schema. */
export const PROBLEM_SCHEMA = {
  type: 'object',
  description:
    'An RFC 9457 problem: a stable `code` (docs/errors.md), a `detail` for people, `errors` naming fields.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', enum: Object.keys(PROBLEMS) },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
} as const;

const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is invalid (the fields are named in `errors`)',
  401: 'Authentication is missing or not valid',
  404: 'No such resource',
  409: 'The resource is not in a state that allows this',
  412: 'Data needed for the call is missing and could not be fetched',
  413: 'The body is too large',
  415: 'The body has a media type the route does not accept',
  429: 'Too many requests; retry after `Retry-After` seconds',
  500: 'An unexpected failure (details only in the server log)',
  503: 'The service is overloaded or not ready; retry later',
};

/** `GET /v1/cases/:id/graph` -> `getCasesByIdGraph`. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((part) => part !== '' && part !== 'v1')
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  const camel = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  return `${method.toLowerCase()}${camel}`;
}

/** The problem statuses a route can answer. */
function problemStatuses(url: string, schema: JsonObject): number[] {
  const statuses = new Set<number>([500, 503]);
  if (schema.body || schema.querystring || schema.params || schema.headers) statuses.add(400);
  if (schema.body) for (const status of [413, 415]) statuses.add(status);
  if (url.includes(':')) statuses.add(404);
  if (url.startsWith('/v1/') || url.startsWith('/cds-services') || url === '/metrics') {
    statuses.add(401);
    statuses.add(429);
  }
  if (url.startsWith('/cds-services/')) statuses.add(412);
  if (/\/cases\/:id\/(graph|revisions)/.test(url)) statuses.add(409);
  return [...statuses].sort();
}

/**
 * The route transform of @fastify/swagger: fastify-type-provider-zod's, plus an operationId and the problem
 * responses (a route's own declaration of a status wins).
 */
export function openApiRouteTransform(input: TransformInput): ReturnType<Transform> {
  const out = jsonSchemaTransform(input) as { schema: JsonObject; url: string };
  const schema = out.schema ?? {};
  if (schema.hide) return out as ReturnType<Transform>;
  const method = Array.isArray(input.route.method) ? input.route.method[0] : input.route.method;
  const response = { ...((schema.response as JsonObject | undefined) ?? {}) };
  for (const status of problemStatuses(input.url, schema)) {
    if (response[status] !== undefined) continue;
    response[status] = {
      description: DESCRIPTIONS[status],
      content: { 'application/problem+json': { schema: PROBLEM_REF } },
    };
  }
  return {
    ...out,
    schema: {
      ...schema,
      operationId: (schema.operationId as string) ?? operationIdOf(method, input.url),
      response,
    },
  } as ReturnType<Transform>;
}

/**
 * Finishes the document: servers, licence, the Problem component, and the request bodies of /v1/solve.
 * @param publicUrl `ARGMED_PUBLIC_URL`; without it the server is the document's own origin (`/`).
 */
export function finishOpenApiDocument(document: JsonObject, publicUrl: string | undefined): JsonObject {
  const components = (document.components ?? {}) as JsonObject;
  const schemas = (components.schemas ?? {}) as JsonObject;
  const paths = (document.paths ?? {}) as Record<string, Record<string, JsonObject>>;
  const solve = paths['/v1/solve']?.post;
  if (solve) {
    const body = solve.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
    const json = body?.content?.['application/json']?.schema as
      | { anyOf?: Array<{ type?: string }> }
      | undefined;
    const objectSchema = json?.anyOf?.find((option) => option.type === 'object') ?? json;
    solve.requestBody = {
      required: true,
      content: {
        'application/json': { schema: objectSchema },
        'text/plain': {
          schema: {
            type: 'string',
            description: 'A framework in ICCMA 2023 format (`p af N`, then `a b` lines)',
          },
        },
      },
    };
  }
  return {
    ...document,
    servers: [{ url: publicUrl?.replace(/\/+$/, '') || '/', description: 'this argmed service' }],
    info: { ...(document.info as JsonObject), license: { name: 'MIT', identifier: 'MIT' } },
    components: { ...components, schemas: { ...schemas, Problem: PROBLEM_SCHEMA } },
  };
}
