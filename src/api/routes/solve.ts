/**
 * `POST /v1/solve`: grounded semantics for any framework, posted as JSON (`arguments`, `attacks`, optional
 * `explain`) or as ICCMA 2023 text (`text/plain`). Answers every argument's label, the grounded extension and,
 * for the arguments in `explain`, why they have their label. A framework that cannot be read is a 400 naming
 * the field (`body/attacks/3/1`) or the line of the text.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  defeaterOf,
  EdgeList,
  frameworkFromEdges,
  type Framework,
  type GroundedLabelling,
  groundedLabelling,
  justification,
  readFramework,
  SolverFormatError,
  undecidedAttackers,
} from '../../../solver/index.js';
import { ApiError } from '../problem.js';
import type { RouteContext } from '../types.js';

/** Names are checked for length in `frameworkFromJson`, once each, rather than per occurrence by zod (twice as fast). */
const ArgumentName = z.string();
const MAX_NAME = 256;

export const SolveJsonSchema = z
  .object({
    arguments: z.array(ArgumentName).max(1_000_000).describe('Argument names, each once'),
    attacks: z
      .array(z.tuple([ArgumentName, ArgumentName]))
      .max(5_000_000)
      .describe('Pairs [attacker, attacked] of declared arguments'),
    explain: z.array(ArgumentName).max(1_000).optional().describe('Arguments whose label to explain'),
  })
  .strict();

const IccmaTextSchema = z
  .string()
  .min(1)
  .describe('An ICCMA 2023 framework: `p af N`, then `i j` attack lines');

const ExplanationSchema = z.object({
  label: z.enum(['IN', 'OUT', 'UNDEC']),
  /** IN: each attacker of it or of a defender, with the IN argument that defeats it. */
  justification: z.array(z.object({ attacker: z.string(), defeater: z.string() })).optional(),
  /** OUT: the IN attacker that defeats it. */
  defeater: z.string().optional(),
  /** UNDEC: the undecided attackers that keep it undecided. */
  undecidedAttackers: z.array(z.string()).optional(),
});

const SolveResponseSchema = z.object({
  semantics: z.literal('grounded'),
  arguments: z.number().int(),
  attacks: z.number().int(),
  labels: z.record(z.string(), z.enum(['IN', 'OUT', 'UNDEC'])),
  grounded: z.array(z.string()),
  explanations: z.record(z.string(), ExplanationSchema).optional(),
});

type SolveResponse = z.output<typeof SolveResponseSchema>;

/** The solve route. */
export const solveRoutes: FastifyPluginAsyncZod<RouteContext> = async function solveRoutes(app) {
  app.post(
    '/solve',
    {
      schema: {
        tags: ['solver'],
        summary: 'Grounded labelling of a framework posted as JSON or as ICCMA 2023 text (text/plain)',
        body: z.union([IccmaTextSchema, SolveJsonSchema]),
        querystring: z
          .object({ explain: z.string().max(10_000).optional().describe('ICCMA text: comma-separated ids') })
          .strict(),
        response: { 200: SolveResponseSchema },
      },
      // The response is built here from the solver's own output: it documents the schema in OpenAPI but is
      // not re-validated on the way out, which would cost as much as solving a framework of this size.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => {
      const body = request.body;
      if (typeof body === 'string') {
        if (!/^text\/plain\b/i.test(request.headers['content-type'] ?? '')) {
          invalidField(
            'body',
            'expected an object with "arguments" and "attacks" (or ICCMA text as text/plain)',
          );
        }
        const framework = await readIccmaBody(body);
        const explain =
          request.query.explain
            ?.split(',')
            .map((id) => id.trim())
            .filter(Boolean) ?? [];
        return solve(framework, explain, 'query/explain');
      }
      return solve(frameworkFromJson(body), body.explain ?? [], 'body/explain');
    },
  );
};

async function readIccmaBody(text: string): Promise<Framework> {
  try {
    return await readFramework(text, 'i23', 'body');
  } catch (error) {
    if (error instanceof SolverFormatError) {
      throw new ApiError('ARGMED_INVALID_FRAMEWORK', `line ${error.line}: ${error.detail}`, {
        line: error.line,
        solverCode: error.code,
      });
    }
    throw error;
  }
}

/** Builds the framework of a JSON body; an unknown or repeated argument is named by its field path. */
function frameworkFromJson(body: z.output<typeof SolveJsonSchema>): Framework {
  const index = new Map<string, number>();
  body.arguments.forEach((name, i) => {
    if (name.length === 0 || name.length > MAX_NAME) {
      invalidField(`body/arguments/${i}`, `a name of 1 to ${MAX_NAME} characters is needed`);
    }
    if (index.has(name)) invalidField(`body/arguments/${i}`, `"${name}" is declared twice`);
    index.set(name, i);
  });
  // Typed arrays, not an object per attack: this route is a hot path (see bench/api.ts).
  const edges = new EdgeList(Math.max(16, body.attacks.length));
  body.attacks.forEach(([from, to], i) => {
    const a = index.get(from);
    if (a === undefined) invalidField(`body/attacks/${i}/0`, `"${from}" is not in arguments`);
    const b = index.get(to);
    if (b === undefined) invalidField(`body/attacks/${i}/1`, `"${to}" is not in arguments`);
    edges.push(a!, b!);
  });
  return frameworkFromEdges(body.arguments.length, edges, body.arguments);
}

function invalidField(path: string, message: string): never {
  throw new ApiError('ARGMED_INVALID_FRAMEWORK', `${path}: ${message}`, { errors: [{ path, message }] });
}

/** Labels, grounded extension and the requested explanations. O(|A| + |R|) plus the explanations. */
function solve(framework: Framework, explain: readonly string[], explainField: string): SolveResponse {
  const labelling = groundedLabelling(framework);
  const labels: Record<string, 'IN' | 'OUT' | 'UNDEC'> = {};
  for (let a = 0; a < framework.count; a++) labels[framework.nameOf(a)] = labelling.label(a);
  const response: SolveResponse = {
    semantics: 'grounded',
    arguments: framework.count,
    attacks: framework.attackCount,
    labels,
    grounded: labelling.inArguments().map((a) => framework.nameOf(a)),
  };
  if (explain.length > 0) {
    response.explanations = {};
    explain.forEach((name, i) => {
      const arg = framework.idOf(name);
      if (arg === undefined)
        invalidField(`${explainField}/${i}`, `"${name}" is not an argument of the framework`);
      response.explanations![name] = explainOne(framework, labelling, arg);
    });
  }
  return response;
}

function explainOne(framework: Framework, labelling: GroundedLabelling, arg: number) {
  const label = labelling.label(arg);
  const name = (a: number) => framework.nameOf(a);
  if (label === 'IN') {
    const steps = justification(framework, labelling, arg);
    return {
      label,
      justification: steps.map((s) => ({ attacker: name(s.attacker), defeater: name(s.defeater) })),
    };
  }
  if (label === 'OUT') {
    const defeater = defeaterOf(framework, labelling, arg);
    return { label, defeater: defeater === undefined ? undefined : name(defeater) };
  }
  return { label, undecidedAttackers: undecidedAttackers(framework, labelling, arg).map(name) };
}
