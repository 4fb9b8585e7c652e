/**
 * The request settings of a structured-output call, as LangChain's `ChatOpenAI.withStructuredOutput`
 * (@langchain/openai 1.5) puts them on the model: `response_format` json_schema or json_object, or one
 * forced function tool. The client binds them to the model with `withConfig` and reads the raw answer
 * itself (read-answer.ts), instead of running withStructuredOutput's pipeline (a map, an output parser
 * and a fallback, each a traced LangChain run with its own callbacks and ids) whose parsed value it
 * discarded: that pipeline was about a third of argmed's CPU a model call (`npm run bench:engine`).
 * The request body sent to the endpoint is the same; test/agents/llm/client.test.ts checks it per method.
 */
import type { StructuredMethod } from './types.js';

/** Call options of `ChatOpenAI` for one output schema. */
export type StructuredOutputOptions = Record<string, unknown>;

/** The name of the function a `functionCalling` request forces (the schema's title, else the output's name). */
export function toolName(name: string, schema: Record<string, unknown>): string {
  return typeof schema.title === 'string' ? schema.title : name;
}

/**
 * @param method how the endpoint is asked for structured output
 * @param name the output's name (function or json_schema name)
 * @param schema the JSON Schema of the answer
 */
export function structuredOutputOptions(
  method: StructuredMethod,
  name: string,
  schema: Record<string, unknown>,
): StructuredOutputOptions {
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  if (method === 'jsonMode') return { outputVersion: 'v0', response_format: { type: 'json_object' } };
  if (method === 'jsonSchema') {
    return {
      outputVersion: 'v0',
      response_format: { type: 'json_schema', json_schema: { name, description, schema } },
    };
  }
  const functionName = toolName(name, schema);
  return {
    outputVersion: 'v0',
    tools: [
      {
        type: 'function',
        function: { name: functionName, description: description ?? '', parameters: schema },
      },
    ],
    tool_choice: { type: 'function', function: { name: functionName } },
  };
}
