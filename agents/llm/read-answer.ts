/**
 * Reads a model's answer message: its text, the JSON of a structured answer (tool-call arguments or
 * message content, code fences tolerated) and its token usage.
 *
 * A structured answer is taken only as it was asked for: complete (`finish_reason` stop or tool_calls, not
 * `length` or `content_filter`), from the forced tool when a tool was asked for and from the content otherwise,
 * and with no key written twice. Anything else is ARGMED_LLM_INVALID_OUTPUT, which gets the repair call.
 */
import type { AIMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { fieldIssueOf } from '../../schemes/field-issues.js';
import { duplicateKey } from './duplicate-key.js';
import { LlmError } from './errors.js';
import type { StructuredMethod } from './types.js';

/** How a structured answer was asked for: the method and, for `functionCalling`, the forced tool's name. */
export interface AskedFor {
  method: StructuredMethod;
  tool: string;
}

/**
 * Finish reasons of a complete answer: OpenAI's, `function_call` (its legacy name), `eos` (some llama.cpp builds),
 * `eos_token` and `stop_sequence` (Hugging Face TGI).
 */
const COMPLETE = new Set(['stop', 'tool_calls', 'function_call', 'eos', 'eos_token', 'stop_sequence', '']);

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

function invalid(message: string, detail: string): LlmError {
  return new LlmError('ARGMED_LLM_INVALID_OUTPUT', message, { detail });
}

/** Refuses an answer the endpoint says is not complete (cut at the token limit, filtered, or unknown why). */
function checkFinished(message: AIMessage): void {
  const reason = (message.response_metadata as { finish_reason?: unknown } | undefined)?.finish_reason;
  if (reason === undefined || reason === null || COMPLETE.has(String(reason))) return;
  if (reason === 'length') {
    throw invalid(
      'the answer was cut at the token limit',
      'Your answer was cut at the token limit: answer more briefly.',
    );
  }
  // The value is the server's, not the model's; kept short and plain so that it is safe in a log.
  const named = typeof reason === 'string' && /^[a-z_]{1,32}$/.test(reason) ? reason : 'unrecognised';
  throw invalid(
    `the answer did not finish (finish_reason ${named})`,
    'Your answer did not finish: answer again.',
  );
}

/** The raw JSON text of the answer, from where it was asked for. */
function answerText(message: AIMessage, asked?: AskedFor): string {
  const raw = (
    message.additional_kwargs as { tool_calls?: Array<{ function?: { name?: string; arguments?: string } }> }
  )?.tool_calls;
  const calls = [
    ...(message.tool_calls ?? []).map((call, index) => ({
      name: call.name,
      text: raw?.[index]?.function?.arguments ?? JSON.stringify(call.args),
    })),
    ...(message.invalid_tool_calls ?? []).map((call) => ({ name: call.name ?? '', text: call.args ?? '' })),
  ];
  if (asked && asked.method !== 'functionCalling' && calls.length > 0) {
    throw invalid(
      'the answer is a tool call where JSON content was asked for',
      'Answer with JSON content, not a tool call.',
    );
  }
  if (calls.length > 1) {
    throw invalid(
      'the answer has several tool calls',
      'Answer with exactly one call of the requested function.',
    );
  }
  const [call] = calls;
  if (call) {
    if (asked && call.name !== asked.tool) {
      throw invalid(
        'the answer calls a tool that was not asked for',
        `Answer by calling the function ${asked.tool}.`,
      );
    }
    return call.text;
  }
  return unfence(textOf(message));
}

/**
 * The JSON value of a structured answer.
 * @param asked how it was asked for; without it, a tool call's arguments or else the content are read
 * @throws LlmError ARGMED_LLM_EMPTY_OUTPUT when there is nothing, ARGMED_LLM_INVALID_OUTPUT when it is not
 *   complete, not where it was asked for, not JSON or has a key twice (with `detail` for the repair prompt only).
 */
export function structuredValue(message: AIMessage, asked?: AskedFor): unknown {
  checkFinished(message);
  const text = answerText(message, asked);
  if (text.trim() === '') {
    throw new LlmError('ARGMED_LLM_EMPTY_OUTPUT', 'the model answered nothing', {
      detail: 'Your answer was empty.',
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid(
      'the answer is not valid JSON',
      `Your answer is not valid JSON (${(error as Error).message}).`,
    );
  }
  const twice = duplicateKey(text);
  if (twice !== undefined) {
    // The path is made of schema keys the model repeated; it may quote model output, so only in the detail.
    throw invalid(
      'the answer has a key written twice',
      `Your answer gives the key "${twice}" twice: give it once.`,
    );
  }
  return value;
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
