/**
 * Zod schemas of `POST /v1/solve`. They document the route in OpenAPI and word its validation errors; the
 * hot path does not run them on a valid body (see `check-body.ts`) nor on the answer it writes (see
 * `write-solve-response.ts`).
 */
import { z } from 'zod';

/** Names are checked for length in `frameworkFromJson`, once each, rather than per occurrence by zod. */
const ArgumentName = z.string();

/** Longest argument name a JSON framework may use. */
export const MAX_NAME = 256;
/**
 * Most arguments a framework may hold in any format (the JSON schema, check and scanner, and the ICCMA
 * header, whose 14 bytes could otherwise declare billions). It bounds the answer, which labels every
 * argument: at most about 2.6 MB for ICCMA ids (about 0.1 s to write); JSON names are in the body, so the
 * body limit bounds them. Larger frameworks are for `argmed solve` on a file.
 */
export const MAX_ARGUMENTS = 100_000;
/** Most attacks and explained arguments a JSON framework may hold (schema, check and scanner). */
export const MAX_ATTACKS = 5_000_000;
export const MAX_EXPLAIN = 1_000;
/**
 * Most justification steps and undecided attackers all explanations of one answer may list together: one
 * explanation can walk the whole framework, so a thousand of them could make gigabytes from a 1 MB body.
 */
export const MAX_EXPLANATION_ENTRIES = 100_000;

/** A framework posted as JSON. */
export const SolveJsonSchema = z
  .object({
    arguments: z.array(ArgumentName).max(MAX_ARGUMENTS).describe('Argument names, each once'),
    attacks: z
      .array(z.tuple([ArgumentName, ArgumentName]))
      .max(MAX_ATTACKS)
      .describe('Pairs [attacker, attacked] of declared arguments'),
    explain: z.array(ArgumentName).max(MAX_EXPLAIN).optional().describe('Arguments whose label to explain'),
  })
  .strict();

/** A framework posted as JSON, once validated. */
export type SolveJson = z.output<typeof SolveJsonSchema>;

/** A framework posted as ICCMA 2023 text (`text/plain`). */
export const IccmaTextSchema = z
  .string()
  .min(1)
  .describe('An ICCMA 2023 framework: `p af N`, then `i j` attack lines');

/** The body of the route, as documented: ICCMA text or a JSON framework. */
export const SolveBodySchema = z.union([IccmaTextSchema, SolveJsonSchema]);

/** The query string: the arguments to explain when the body is ICCMA text. */
export const SolveQuerySchema = z
  .object({ explain: z.string().max(10_000).optional().describe('ICCMA text: comma-separated ids') })
  .strict();

const ExplanationSchema = z.object({
  label: z.enum(['IN', 'OUT', 'UNDEC']),
  /** IN: each attacker of it or of a defender, with the IN argument that defeats it. */
  justification: z.array(z.object({ attacker: z.string(), defeater: z.string() })).optional(),
  /** OUT: the IN attacker that defeats it. */
  defeater: z.string().optional(),
  /** UNDEC: the undecided attackers that keep it undecided. */
  undecidedAttackers: z.array(z.string()).optional(),
});

/** One argument's explanation. */
export type Explanation = z.output<typeof ExplanationSchema>;

/** The answer: labels, grounded extension and the requested explanations. */
export const SolveResponseSchema = z.object({
  semantics: z.literal('grounded'),
  arguments: z.number().int(),
  attacks: z.number().int(),
  labels: z.record(z.string(), z.enum(['IN', 'OUT', 'UNDEC'])),
  grounded: z.array(z.string()),
  explanations: z.record(z.string(), ExplanationSchema).optional(),
});
