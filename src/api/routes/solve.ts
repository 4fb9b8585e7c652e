/**
 * `POST /v1/solve`: grounded semantics for any framework, posted as JSON (`arguments`, `attacks`, optional
 * `explain`) or as ICCMA 2023 text (`text/plain`). Answers every argument's label, the grounded extension and,
 * for the arguments in `explain`, why they have their label. A framework that cannot be read is a 400 naming
 * the field (`body/attacks/3/1`) or the line of the text.
 *
 * This route is a hot path (bench/api.ts): a JSON body is read by a scanner straight into typed arrays
 * (`solve/scan-solve-json.ts`), any other is parsed and checked without zod unless it is refused
 * (`solve/check-body.ts`), and the answer is written as JSON text directly (`solve/write-solve-response.ts`);
 * the zod schemas document both in OpenAPI and word the errors.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  type Framework,
  frameworkFromEdges,
  groundedLabelling,
  readFramework,
  SolverFormatError,
} from '../../../solver/index.js';
import { ApiError } from '../../http/problem.js';
import { solveValidatorCompiler } from '../solve/check-body.js';
import { writeExplanations } from '../solve/explanations.js';
import { frameworkFromJson } from '../solve/framework-from-json.js';
import { invalidField } from '../solve/invalid-field.js';
import { ScannedSolveJson, scanSolveJson } from '../solve/scan-solve-json.js';
import {
  MAX_ARGUMENTS,
  type SolveJson,
  SolveBodySchema,
  SolveQuerySchema,
  SolveResponseSchema,
} from '../solve/schemas.js';
import { writeSolveResponse } from '../solve/write-solve-response.js';
import type { RouteContext } from '../types.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** The solve route. */
export const solveRoutes: FastifyPluginAsyncZod<RouteContext> = async function solveRoutes(app) {
  // This plugin's own JSON parser (fastify scopes parsers by plugin): the scanner, or the default parser
  // for what the scanner leaves (so malformed JSON is the same 400 as everywhere).
  const parseJson = app.getDefaultJsonParser(
    app.initialConfig.onProtoPoisoning ?? 'error',
    app.initialConfig.onConstructorPoisoning ?? 'error',
  );
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    const scanned = scanSolveJson(text as string);
    if (scanned === undefined) parseJson(request, text as string, done);
    else done(null, scanned);
  });

  app.post(
    '/solve',
    {
      schema: {
        tags: ['solver'],
        summary: 'Grounded labelling of a framework posted as JSON or as ICCMA 2023 text (text/plain)',
        body: SolveBodySchema,
        querystring: SolveQuerySchema,
        response: { 200: SolveResponseSchema },
      },
      validatorCompiler: solveValidatorCompiler,
    },
    async (request, reply) => {
      // The scanner's result passed validation as it is (it reads only what the schema accepts).
      const body = request.body as string | SolveJson | ScannedSolveJson;
      let json: string;
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
        json = solve(framework, explain, 'query/explain', false);
      } else if (body instanceof ScannedSolveJson) {
        const framework = frameworkFromEdges(body.names.length, body.edges, body.names);
        json = solve(framework, body.explain ?? [], 'body/explain', body.plainNames);
      } else {
        json = solve(frameworkFromJson(body), body.explain ?? [], 'body/explain', false);
      }
      // A string with a JSON content type is sent as it is: no serializer runs over it (the typed reply
      // expects the response object, hence the plain reply).
      return (reply as FastifyReply).type(JSON_TYPE).send(json);
    },
  );
};

async function readIccmaBody(text: string): Promise<Framework> {
  try {
    return await readFramework(text, 'i23', 'body', { maxArguments: MAX_ARGUMENTS });
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

/** The JSON answer: labels, grounded extension and the requested explanations. O(|A| + |R|) plus those. */
function solve(
  framework: Framework,
  explain: readonly string[],
  explainField: string,
  plainNames: boolean,
): string {
  const labelling = groundedLabelling(framework);
  const explanations =
    explain.length > 0 ? writeExplanations(framework, labelling, explain, explainField) : undefined;
  return writeSolveResponse(framework, labelling, explanations, plainNames);
}
