/**
 * The model recipes of docs/models.md: each recipe's environment, read by `loadConfig` as a user would write
 * it, drives the real LLM client against the local mock acting like that server (its route, its key header,
 * the structured-output requests it accepts, ignores or refuses). A recipe passes when a structured answer
 * comes back valid; the wrong method against the same server fails, so the mock's behaviour matters.
 * Missing settings give the one message `llmConfigProblem` writes, whoever asks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLlmClient } from '../../agents/llm/client.js';
import { BackendError, createBackend } from '../../src/backends.js';
import { llmConfigProblem, loadConfig } from '../../src/config.js';
import { type MockBehaviour, type MockOpenAI, startMockOpenAI } from '../support/mock-openai-server.js';

const Answer = z.object({ option: z.enum(['metformin', 'insulin']), reason: z.string().min(1) });
const ANSWER = { option: 'metformin', reason: 'first-line for type 2 diabetes' };
const MESSAGES = [
  { role: 'system' as const, content: 'You choose a treatment.' },
  { role: 'user' as const, content: 'Adult with new type 2 diabetes, eGFR 80. Which first?' },
];

interface Recipe {
  name: string;
  /** The environment of the recipe, with the mock's URL where the real server's would be. */
  env: (url: string) => Record<string, string>;
  /** How the real server treats structured-output requests. */
  behaviour: MockBehaviour;
  azure?: { deployment: string; apiKey: string };
  /** A method this server does not serve, to show the recipe's choice matters. */
  wrong?: 'jsonSchema' | 'jsonMode' | 'functionCalling';
}

const RECIPES: Recipe[] = [
  {
    name: 'OpenAI',
    env: (url) => ({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: url, ARGMED_LLM_MODEL: 'gpt-4o-mini' }),
    behaviour: {},
  },
  {
    name: 'Azure OpenAI',
    env: (url) => ({
      AZURE_OPENAI_API_KEY: 'azure-key',
      AZURE_OPENAI_ENDPOINT: url,
      AZURE_OPENAI_API_DEPLOYMENT_NAME: 'gpt-4o-mini-prod',
      AZURE_OPENAI_API_VERSION: '2024-10-21',
    }),
    behaviour: {},
    azure: { deployment: 'gpt-4o-mini-prod', apiKey: 'azure-key' },
  },
  {
    name: 'Ollama',
    env: (url) => ({
      ARGMED_LLM_BASE_URL: url,
      ARGMED_LLM_MODEL: 'llama3.1:8b',
      ARGMED_LLM_STRUCTURED_METHOD: 'jsonMode',
    }),
    behaviour: { jsonSchema: 'refuse', jsonObject: 'honour', tools: 'refuse' },
    wrong: 'jsonSchema',
  },
  {
    name: 'vLLM',
    env: (url) => ({
      ARGMED_LLM_BASE_URL: url,
      ARGMED_LLM_MODEL: 'Qwen/Qwen2.5-7B-Instruct',
      ARGMED_LLM_STRUCTURED_METHOD: 'jsonSchema',
    }),
    behaviour: { jsonSchema: 'honour', jsonObject: 'honour', tools: 'refuse' },
    wrong: 'functionCalling',
  },
  {
    name: 'llama.cpp server',
    env: (url) => ({
      ARGMED_LLM_BASE_URL: url,
      ARGMED_LLM_MODEL: 'local',
      ARGMED_LLM_STRUCTURED_METHOD: 'jsonSchema',
    }),
    behaviour: { jsonSchema: 'honour', jsonObject: 'honour', tools: 'refuse' },
    wrong: 'functionCalling',
  },
  {
    name: 'LM Studio',
    env: (url) => ({
      ARGMED_LLM_BASE_URL: url,
      ARGMED_LLM_MODEL: 'qwen2.5-7b-instruct',
      ARGMED_LLM_STRUCTURED_METHOD: 'jsonSchema',
    }),
    behaviour: { jsonSchema: 'honour', jsonObject: 'refuse', tools: 'honour' },
    wrong: 'jsonMode',
  },
  {
    name: 'a server that ignores response_format',
    env: (url) => ({
      ARGMED_LLM_BASE_URL: url,
      ARGMED_LLM_MODEL: 'any',
      ARGMED_LLM_STRUCTURED_METHOD: 'jsonMode',
    }),
    behaviour: { jsonSchema: 'ignore', jsonObject: 'ignore', tools: 'refuse' },
    wrong: 'functionCalling',
  },
  {
    name: 'a server that needs tool calling',
    env: (url) => ({
      ARGMED_LLM_BASE_URL: url,
      ARGMED_LLM_MODEL: 'any',
      ARGMED_LLM_STRUCTURED_METHOD: 'functionCalling',
    }),
    behaviour: { jsonSchema: 'refuse', jsonObject: 'refuse', tools: 'honour' },
    wrong: 'jsonSchema',
  },
];

let mock: MockOpenAI | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe.each(RECIPES)('recipe: $name', (recipe) => {
  async function clientFor(method?: 'jsonSchema' | 'jsonMode' | 'functionCalling') {
    mock = await startMockOpenAI({
      behaviour: recipe.behaviour,
      azure: recipe.azure,
      respond: () => ({ json: ANSWER }),
    });
    const config = loadConfig({ ARGMED_BACKEND: 'openai', ...recipe.env(mock.url) });
    expect(llmConfigProblem(config.llm)).toBeUndefined();
    const llm = { ...config.llm, maxRetries: 0, ...(method ? { structuredMethod: method } : {}) };
    return createLlmClient(llm);
  }

  it('answers a structured question with its structured-output method', async () => {
    const client = await clientFor();
    const { value } = await client.completeStructured(Answer, MESSAGES, {
      role: 'generator',
      name: 'treatment',
    });
    expect(value).toEqual(ANSWER);
    if (recipe.azure) {
      expect(mock?.paths[0]).toMatch(
        new RegExp(
          `^/openai/deployments/${recipe.azure.deployment}/chat/completions\\?api-version=2024-10-21$`,
        ),
      );
    }
  });

  it.skipIf(!recipe.wrong)('fails with another method on the same server', async () => {
    const client = await clientFor(recipe.wrong);
    await expect(
      client.completeStructured(Answer, MESSAGES, { role: 'generator', name: 'treatment' }),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/ARGMED_LLM_(REJECTED|INVALID_OUTPUT|EMPTY_OUTPUT)/),
    });
  });
});

describe('model settings', () => {
  it('ARGMED_LLM_* take precedence over OPENAI_*', () => {
    const { llm } = loadConfig({
      OPENAI_API_KEY: 'sk-openai',
      OPENAI_BASE_URL: 'https://api.openai.com/v1',
      ARGMED_LLM_API_KEY: 'sk-argmed',
      ARGMED_LLM_BASE_URL: 'http://127.0.0.1:8000/v1',
    });
    expect(llm).toMatchObject({
      provider: 'openai',
      apiKey: 'sk-argmed',
      baseURL: 'http://127.0.0.1:8000/v1',
    });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-openai' }).llm).toMatchObject({
      apiKey: 'sk-openai',
      baseURL: undefined,
    });
  });

  it('Azure settings choose Azure, unless an OpenAI base URL is given or the provider is named', () => {
    const azure = {
      AZURE_OPENAI_API_KEY: 'k',
      AZURE_OPENAI_API_INSTANCE_NAME: 'res',
      AZURE_OPENAI_API_DEPLOYMENT_NAME: 'd',
    };
    expect(loadConfig(azure).llm).toMatchObject({
      provider: 'azure',
      model: 'd',
      azure: { instanceName: 'res' },
    });
    expect(loadConfig({ ...azure, OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }).llm.provider).toBe('openai');
    expect(loadConfig({ ...azure, ARGMED_LLM_PROVIDER: 'openai' }).llm.provider).toBe('openai');
  });

  it('names what is missing in one message, the same for the back-end and the evaluation', async () => {
    const none = loadConfig({ ARGMED_BACKEND: 'openai' });
    const problem = llmConfigProblem(none.llm);
    expect(problem?.message).toMatch(
      /^ARGMED_LLM_BASE_URL: no model is configured: .*OPENAI_API_KEY.*AZURE_OPENAI_/,
    );
    const thrown = await createBackend(none).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(BackendError);
    expect((thrown as Error).message).toBe(problem?.message);
    expect(llmConfigProblem(loadConfig({ AZURE_OPENAI_API_KEY: 'k' }).llm)?.variable).toBe(
      'AZURE_OPENAI_ENDPOINT',
    );
    expect(
      llmConfigProblem(
        loadConfig({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com' }).llm,
      )?.variable,
    ).toBe('AZURE_OPENAI_API_DEPLOYMENT_NAME');
  });
});
