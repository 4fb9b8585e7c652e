import { HumanMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createChatModel } from '../../../agents/llm/chat-model.js';
import { structuredOutputOptions } from '../../../agents/llm/structured-output-options.js';
import type { StructuredMethod } from '../../../agents/llm/types.js';
import { type MockOpenAI, startMockOpenAI } from '../../support/mock-openai-server.js';

let mock: MockOpenAI;
beforeAll(async () => {
  mock = await startMockOpenAI({ respond: () => ({ json: { drug: 'x' } }) });
});
afterAll(() => mock.close());

const schema = {
  type: 'object',
  description: 'a prescription',
  properties: { drug: { type: 'string', description: 'the drug' } },
  required: ['drug'],
  additionalProperties: false,
};

// The client binds these settings instead of running withStructuredOutput's pipeline: the endpoint must
// receive exactly the request LangChain's own structured output sends, for every method.
test.each(['jsonSchema', 'functionCalling', 'jsonMode'] as StructuredMethod[])(
  '%s: the request body equals the one withStructuredOutput sends',
  async (method) => {
    const model = createChatModel(
      {
        baseURL: mock.url,
        apiKey: 'k',
        model: 'mock',
        structuredMethod: method,
        timeoutMs: 5_000,
        maxRetries: 0,
        concurrency: 1,
      },
      0,
    );
    const prompt = [new HumanMessage('prescribe')];
    await model.withStructuredOutput(schema, { name: 'answer', method, includeRaw: true }).invoke(prompt);
    await model.withConfig(structuredOutputOptions(method, 'answer', schema)).invoke(prompt);
    const [theirs, ours] = mock.requests.slice(-2);
    expect(ours).toEqual(theirs);
    expect(JSON.stringify(ours)).toContain(method === 'jsonMode' ? 'json_object' : '"drug"');
  },
);
