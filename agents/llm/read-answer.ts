/**
 * Reads a model's answer message: its text, the JSON of a structured answer (tool-call arguments or
 * message content, code fences tolerated) and its token usage.
 */
import type { AIMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { fieldIssueOf } from '../../schemes/field-issues.js';
import { LlmError } from './errors.js';

/** Token usage reported by the endpoint (0 when it reports none). */
export function usageOf(message: AIMessage): { tokensIn: number; tokensOut: number } {
  const usage = message.usage_metadata;
  return { tokensIn: usage?.input_tokens ?? 0, tokensOut: usage?.output_tokens ?? 0 };
}

/** The text content of an answer (text parts joined). */
export function textOf(message: AIMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  return content
    .map((part) =>
      typeof part === 'string' ? part : part.type === 'text' && 'text' in part ? String(part.text) : '',
    )
    .join('');
}

/** Strips a Markdown code fence around JSON, which local models often add in JSON mode. */
function unfence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/i.exec(text);
  return (fenced ? fenced[1] : text).trim();
}

/**
 * The JSON value of a structured answer.
 * @throws LlmError ARGMED_LLM_EMPTY_OUTPUT when there is nothing, ARGMED_LLM_INVALID_OUTPUT when it is not JSON
 *   (with the parser's message as `detail`, for the repair prompt only).
 */
export function structuredValue(message: AIMessage): unknown {
  const call = message.tool_calls?.[0];
  if (call) return call.args;
  const invalid = message.invalid_tool_calls?.[0];
  const text = invalid ? (invalid.args ?? '') : unfence(textOf(message));
  if (text.trim() === '') {
    throw new LlmError('ARGMED_LLM_EMPTY_OUTPUT', 'the model answered nothing', {
      detail: 'Your answer was empty.',
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new LlmError('ARGMED_LLM_INVALID_OUTPUT', 'the answer is not valid JSON', {
      detail: `Your answer is not valid JSON (${(error as Error).message}).`,
    });
  }
}

/** Issue paths and codes only: safe to log (no values from the answer). */
function safeSummary(error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((issue) => `${fieldIssueOf(issue).path}: ${issue.code}`);
  return issues.join('; ') + (error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : '');
}

/**
 * Validates a structured answer against its zod schema.
 * @throws LlmError ARGMED_LLM_INVALID_OUTPUT naming the failing paths; `detail` has zod's full messages.
 */
export function validateAnswer<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new LlmError(
    'ARGMED_LLM_INVALID_OUTPUT',
    `the answer does not match the schema (${safeSummary(parsed.error)})`,
    {
      detail: z.prettifyError(parsed.error),
    },
  );
}
