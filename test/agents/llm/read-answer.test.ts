/**
 * What the client takes as a structured answer (agents/llm/read-answer.ts, duplicate-key.ts): only a finished answer,
 * from where it was asked for, with no key written twice; and the finish reasons of the servers in docs/models.md and
 * of Hugging Face TGI are read as finished.
 */
import { AIMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { duplicateKey } from '../../../agents/llm/duplicate-key.js';
import { isLlmError } from '../../../agents/llm/errors.js';
import { type AskedFor, structuredValue } from '../../../agents/llm/read-answer.js';

const content = (text: string, finish?: string) =>
  new AIMessage({ content: text, response_metadata: finish === undefined ? {} : { finish_reason: finish } });

const toolCall = (name: string, args: string, finish = 'tool_calls') =>
  new AIMessage({
    content: '',
    tool_calls: [{ id: 'c1', name, args: JSON.parse(args), type: 'tool_call' }],
    additional_kwargs: { tool_calls: [{ id: 'c1', type: 'function', function: { name, arguments: args } }] },
    response_metadata: { finish_reason: finish },
  });

const jsonSchema: AskedFor = { method: 'jsonSchema', tool: 'answer' };
const functionCalling: AskedFor = { method: 'functionCalling', tool: 'answer' };

function refusal(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (isLlmError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

describe('structuredValue', () => {
  it('reads finished answers, whatever finish reason a known server gives for it', () => {
    for (const finish of [undefined, 'stop', 'eos', 'eos_token', 'stop_sequence']) {
      expect(structuredValue(content('{"a":1}', finish), jsonSchema)).toEqual({ a: 1 });
    }
    expect(structuredValue(toolCall('answer', '{"a":1}'), functionCalling)).toEqual({ a: 1 });
  });

  it('reads through a code fence', () => {
    expect(structuredValue(content('```json\n{"a":1}\n```', 'stop'), jsonSchema)).toEqual({ a: 1 });
  });

  it.each([
    [
      'cut at the token limit',
      () => structuredValue(content('{"a":1}', 'length'), jsonSchema),
      /token limit/,
    ],
    ['filtered', () => structuredValue(content('{"a":1}', 'content_filter'), jsonSchema), /content_filter/],
    [
      'a tool call where JSON content was asked for',
      () => structuredValue(toolCall('answer', '{"a":1}'), jsonSchema),
      /tool call where JSON content/,
    ],
    [
      'a call of another function than the forced one',
      () => structuredValue(toolCall('other', '{"a":1}'), functionCalling),
      /not asked for/,
    ],
    [
      'a tool call cut at the token limit',
      () => structuredValue(toolCall('answer', '{"a":1}', 'length'), functionCalling),
      /token limit/,
    ],
    [
      'a key written twice',
      () => structuredValue(content('{"v":{"q":{"c":"yes"},"q":{"c":"no"}}}', 'stop'), jsonSchema),
      /key written twice/,
    ],
    [
      'a key written twice in a tool call',
      () => structuredValue(toolCall('answer', '{"q":"yes","q":"no"}'), functionCalling),
      /key written twice/,
    ],
  ])('refuses an answer %s', (_what, read, message) => {
    const outcome = refusal(read);
    expect(outcome).toMatch(/^ARGMED_LLM_INVALID_OUTPUT: /);
    expect(outcome).toMatch(message);
  });

  it('names no finish reason it does not recognise (the log gets a plain word only)', () => {
    expect(refusal(() => structuredValue(content('{"a":1}', 'Weird <reason> f1'), jsonSchema))).toMatch(
      /finish_reason unrecognised/,
    );
  });
});

describe('duplicateKey', () => {
  it.each([
    ['{"a":1,"b":{"a":2}}', undefined],
    ['[{"a":1},{"a":2}]', undefined],
    ['{"s":"\\"a\\":1,\\"a\\":2"}', undefined],
    ['{"a":1,"a":2}', 'a'],
    ['{"v":{"q":{"x":1},"q":{"x":2}}}', 'v.q'],
    ['{"list":[{"k":1,"k":2}]}', 'list.k'],
    ['{"a\\u0062":1,"ab":2}', 'ab'],
  ])('%s -> %s', (text, expected) => {
    expect(duplicateKey(text)).toBe(expected);
  });
});
