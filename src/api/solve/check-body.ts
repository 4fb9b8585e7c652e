/**
 * Validation of the solve body without zod on the way in: a plain structural check accepts the bodies the
 * documented schema accepts, and only a body it refuses is handed to zod, which words the error (its issues
 * name the failing field, as on every other route). Zod copies every array it checks; for a framework of
 * hundreds of attacks that copy cost more than the solve.
 */
import type { FastifyRouteSchemaDef, FastifyValidationResult } from 'fastify/types/schema.js';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ScannedSolveJson } from './scan-solve-json.js';
import { MAX_ARGUMENTS, MAX_ATTACKS, MAX_EXPLAIN, type SolveJson, SolveJsonSchema } from './schemas.js';

function isStringArray(value: unknown, max: number): value is string[] {
  if (!Array.isArray(value) || value.length > max) return false;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false;
  return true;
}

function isAttackArray(value: unknown): value is Array<[string, string]> {
  if (!Array.isArray(value) || value.length > MAX_ATTACKS) return false;
  for (let i = 0; i < value.length; i++) {
    const pair = value[i];
    if (!Array.isArray(pair) || pair.length !== 2) return false;
    if (typeof pair[0] !== 'string' || typeof pair[1] !== 'string') return false;
  }
  return true;
}

/**
 * True when `body` is a JSON framework `SolveJsonSchema` accepts. Never true for a body the schema refuses
 * (a test compares both on random bodies). O(size of the body), no allocation.
 */
export function isSolveJson(body: unknown): body is SolveJson {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  for (const key in record) {
    if (key !== 'arguments' && key !== 'attacks' && key !== 'explain') return false;
  }
  return (
    isStringArray(record.arguments, MAX_ARGUMENTS) &&
    isAttackArray(record.attacks) &&
    (record.explain === undefined || isStringArray(record.explain, MAX_EXPLAIN))
  );
}

/**
 * The route's validator compiler: the body is the scanner's result (read only if valid), passes
 * {@link isSolveJson} or is non-empty ICCMA text, or goes to the zod schema; the other parts (the query)
 * use zod as everywhere else.
 */
export function solveValidatorCompiler<S>(route: FastifyRouteSchemaDef<S>): FastifyValidationResult {
  // Fastify hands over the part's own schema (a zod schema here) whatever the route's schema type says.
  const zod = validatorCompiler(route as unknown as FastifyRouteSchemaDef<z.ZodType>);
  if (route.httpPart !== 'body') return zod;
  // A parsed JSON body is worded against the JSON framework alone: the union's text branch would add
  // "expected string" to every refusal of a JSON array or null.
  const zodJson = validatorCompiler({
    ...route,
    schema: SolveJsonSchema,
  } as unknown as FastifyRouteSchemaDef<z.ZodType>);
  return (body: unknown) => {
    if (body instanceof ScannedSolveJson) return { value: body };
    if (typeof body === 'string' ? body.length > 0 : isSolveJson(body)) return { value: body };
    return typeof body === 'string' ? zod(body) : zodJson(body);
  };
}
