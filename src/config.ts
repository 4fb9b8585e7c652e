/**
 * The one place that reads the environment. Every setting is validated here; a bad value stops start-up
 * with the variable's name. Everything else receives a `Config` (or a part of it) as a parameter.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { BACKENDS } from '../agents/case.js';
import { fieldIssueOf } from '../schemes/field-issues.js';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((value) => value === '1' || value === 'true');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: optionalString,
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/argmed.db')
    .refine((url) => /^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(url), {
      message: 'must be sqlite:PATH or postgres://...',
    }),
  REDIS_URL: optionalString.refine((url) => url === undefined || /^rediss?:\/\//.test(url), {
    message: 'must be redis://... or rediss://...',
  }),
  ARGMED_API_KEYS: optionalString,
  ARGMED_BACKEND: z.enum(BACKENDS).default('knowledge'),
  ARGMED_LOCAL_MODEL: optionalString,
  ARGMED_LOCAL_THREADS: z.coerce.number().int().min(1).max(256).default(1),
  ARGMED_KNOWLEDGE: optionalString,
  ARGMED_SCHEMES_DIR: optionalString,
  ARGMED_DATASETS_DIR: z.string().default('./datasets'),
  ARGMED_LLM_BASE_URL: optionalString.refine((url) => url === undefined || URL.canParse(url), {
    message: 'must be a URL such as http://127.0.0.1:8000/v1',
  }),
  ARGMED_LLM_MODEL: optionalString,
  ARGMED_LLM_API_KEY: optionalString,
  ARGMED_LLM_PROVIDER: z.enum(['openai', 'azure']).optional(),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.refine((url) => url === undefined || URL.canParse(url), {
    message: 'must be a URL such as https://api.openai.com/v1',
  }),
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_ENDPOINT: optionalString.refine((url) => url === undefined || URL.canParse(url), {
    message: 'must be a URL such as https://my-resource.openai.azure.com',
  }),
  AZURE_OPENAI_API_INSTANCE_NAME: optionalString,
  AZURE_OPENAI_API_DEPLOYMENT_NAME: optionalString,
  AZURE_OPENAI_API_VERSION: z.string().default('2024-10-21'),
  ARGMED_LLM_STRUCTURED_METHOD: z.enum(['jsonSchema', 'functionCalling', 'jsonMode']).default('jsonSchema'),
  ARGMED_LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  ARGMED_LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(4),
  ARGMED_LLM_CONCURRENCY: z.coerce.number().int().positive().max(256).default(8),
  ARGMED_RATE_LIMIT: z.coerce.number().int().positive().default(300),
  ARGMED_AUTH_FAILURE_LIMIT: z.coerce.number().int().positive().default(30),
  ARGMED_METRICS_TOKEN: optionalString.refine((token) => token === undefined || token.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  ARGMED_BODY_LIMIT: z.coerce.number().int().positive().default(1_048_576),
  ARGMED_CORS_ORIGIN: optionalString,
  ARGMED_CDS_INSECURE: flag,
  ARGMED_CDS_FHIR_LOOPBACK: flag,
  ARGMED_CDS_ISSUERS: optionalString,
  ARGMED_PUBLIC_URL: optionalString,
  ARGMED_VIEW_SECRET: optionalString.refine((secret) => secret === undefined || secret.length >= 32, {
    message: 'must be at least 32 characters (e.g. the output of `openssl rand -base64 32`)',
  }),
  ARGMED_VIEW_LINK_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(3600),
  ARGMED_RATE_LINK_TTL: z.coerce
    .number()
    .int()
    .min(3600)
    .max(90 * 86_400)
    .default(14 * 86_400),
  NODE_ENV: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.output<typeof EnvSchema>;

/** The names of every variable argmed reads (for checks of deployment files against typos). */
export const ENV_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

/** Azure OpenAI settings (through `AzureChatOpenAI`); the deployment is `LlmConfig.model`. */
export interface AzureLlmConfig {
  /** `https://<resource>.openai.azure.com`; or `instanceName`. */
  endpoint?: string;
  instanceName?: string;
  apiVersion: string;
}

/**
 * The model of the `openai` back-end and of the evaluation's baselines. `ARGMED_LLM_*` take precedence over
 * the variables the OpenAI and Azure SDKs read (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `AZURE_OPENAI_*`).
 */
export interface LlmConfig {
  /** `azure` when `ARGMED_LLM_PROVIDER=azure`, or when Azure settings are given and no OpenAI base URL. */
  provider: 'openai' | 'azure';
  baseURL?: string;
  model: string;
  apiKey?: string;
  azure?: AzureLlmConfig;
  structuredMethod: Env['ARGMED_LLM_STRUCTURED_METHOD'];
  timeoutMs: number;
  maxRetries: number;
  concurrency: number;
}

export interface Config {
  port: number;
  /** Where to listen; without API keys the default is loopback only. */
  host: string;
  databaseUrl: string;
  redisUrl?: string;
  apiKeys: string[];
  backend: Env['ARGMED_BACKEND'];
  knowledgePath?: string;
  schemesDir?: string;
  /** The folder `POST /v1/evaluations` reads dataset files from, by name. */
  datasetsDir: string;
  llm: LlmConfig;
  /** The `local` back-end: a GGUF file run in process (node-llama-cpp, installed separately). */
  local: { modelPath?: string; threads: number };
  rateLimitPerMinute: number;
  /** Requests a minute one address may make without a valid API key (missing or wrong), when keys are set. */
  authFailuresPerMinute: number;
  /** A bearer token that opens `/metrics` (besides the API keys), for a Prometheus scraper. */
  metricsToken?: string;
  bodyLimitBytes: number;
  corsOrigin?: string;
  /** CDS Hooks: authentication off (`insecure`), the allowed issuers, and whether a loopback fhirServer may be called. */
  cds: { insecure: boolean; issuers?: string; fhirLoopback: boolean };
  publicUrl?: string;
  /**
   * Signed links to a case's graph page and to a rater's rating page (src/view/view-link.ts): the HMAC key
   * and how long each kind of link works.
   * Without `ARGMED_VIEW_SECRET` a random key is made at start (`secretGenerated`): links then stop working
   * at a restart and are not shared between replicas.
   */
  viewLinks: { secret: string; ttlSeconds: number; rateTtlSeconds: number; secretGenerated: boolean };
  logLevel: Env['LOG_LEVEL'];
}

/** A configuration error: names the variable so the operator can fix it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    /** What is wrong, without the variable's name. */
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the configuration.
 * @param env the environment (defaults to `process.env`); tests pass their own.
 * @throws ConfigError naming the first invalid variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = fieldIssueOf(parsed.error.issues[0], 'environment');
    throw new ConfigError(issue.path, issue.message);
  }
  const e = parsed.data;
  if (e.ARGMED_CDS_ISSUERS && !e.ARGMED_PUBLIC_URL && e.NODE_ENV === 'production') {
    // The CDS token's audience and the cards' links would otherwise follow the request's Host header.
    throw new ConfigError(
      'ARGMED_PUBLIC_URL',
      'must be set (the external URL, e.g. https://cds.example.org) when ARGMED_CDS_ISSUERS is set and NODE_ENV=production: without it the CDS audience check and card links follow the Host header a caller sends',
    );
  }
  const apiKeys = (e.ARGMED_API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  return {
    port: e.PORT,
    host: e.HOST ?? (apiKeys.length > 0 ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    apiKeys,
    backend: e.ARGMED_BACKEND,
    knowledgePath: e.ARGMED_KNOWLEDGE,
    schemesDir: e.ARGMED_SCHEMES_DIR,
    datasetsDir: e.ARGMED_DATASETS_DIR,
    local: { modelPath: e.ARGMED_LOCAL_MODEL, threads: e.ARGMED_LOCAL_THREADS },
    llm: {
      ...modelSettings(e),
      structuredMethod: e.ARGMED_LLM_STRUCTURED_METHOD,
      timeoutMs: e.ARGMED_LLM_TIMEOUT_MS,
      maxRetries: e.ARGMED_LLM_MAX_RETRIES,
      concurrency: e.ARGMED_LLM_CONCURRENCY,
    },
    rateLimitPerMinute: e.ARGMED_RATE_LIMIT,
    authFailuresPerMinute: e.ARGMED_AUTH_FAILURE_LIMIT,
    metricsToken: e.ARGMED_METRICS_TOKEN,
    bodyLimitBytes: e.ARGMED_BODY_LIMIT,
    corsOrigin: e.ARGMED_CORS_ORIGIN,
    cds: { insecure: e.ARGMED_CDS_INSECURE, issuers: e.ARGMED_CDS_ISSUERS, fhirLoopback: e.ARGMED_CDS_FHIR_LOOPBACK },
    publicUrl: e.ARGMED_PUBLIC_URL,
    viewLinks: {
      secret: e.ARGMED_VIEW_SECRET ?? randomBytes(32).toString('base64url'),
      ttlSeconds: e.ARGMED_VIEW_LINK_TTL,
      rateTtlSeconds: e.ARGMED_RATE_LINK_TTL,
      secretGenerated: e.ARGMED_VIEW_SECRET === undefined,
    },
    logLevel: e.LOG_LEVEL,
  };
}

/** Which provider, endpoint, model and key the environment names (`ARGMED_LLM_*` first). */
function modelSettings(e: Env): Pick<LlmConfig, 'provider' | 'baseURL' | 'model' | 'apiKey' | 'azure'> {
  const baseURL = e.ARGMED_LLM_BASE_URL ?? e.OPENAI_BASE_URL;
  const azureGiven =
    e.AZURE_OPENAI_API_KEY !== undefined ||
    e.AZURE_OPENAI_ENDPOINT !== undefined ||
    e.AZURE_OPENAI_API_INSTANCE_NAME !== undefined;
  const provider = e.ARGMED_LLM_PROVIDER ?? (azureGiven && baseURL === undefined ? 'azure' : 'openai');
  if (provider === 'azure') {
    return {
      provider,
      model: e.ARGMED_LLM_MODEL ?? e.AZURE_OPENAI_API_DEPLOYMENT_NAME ?? '',
      apiKey: e.ARGMED_LLM_API_KEY ?? e.AZURE_OPENAI_API_KEY,
      azure: {
        endpoint: (e.ARGMED_LLM_BASE_URL ?? e.AZURE_OPENAI_ENDPOINT)?.replace(/\/+$/, ''),
        instanceName: e.AZURE_OPENAI_API_INSTANCE_NAME,
        apiVersion: e.AZURE_OPENAI_API_VERSION,
      },
    };
  }
  return {
    provider,
    baseURL,
    model: e.ARGMED_LLM_MODEL ?? 'gpt-4o-mini',
    apiKey: e.ARGMED_LLM_API_KEY ?? e.OPENAI_API_KEY,
  };
}

/** Where to read how to configure a model. */
const MODELS_DOC = 'see docs/models.md';

/**
 * What keeps the configured model from being called, as one message for `argmed decide`, `argmed eval` and
 * the service alike; undefined when the settings can work.
 * - OpenAI-compatible: a base URL (a local server; no key needed) or an API key (the OpenAI API).
 * - Azure OpenAI: a key, an endpoint or resource name, and a deployment.
 */
export function llmConfigProblem(llm: LlmConfig): ConfigError | undefined {
  if (llm.provider === 'azure') {
    if (!llm.apiKey)
      return new ConfigError(
        'AZURE_OPENAI_API_KEY',
        `Azure OpenAI needs an API key (or ARGMED_LLM_API_KEY); ${MODELS_DOC}`,
      );
    if (!llm.azure?.endpoint && !llm.azure?.instanceName) {
      return new ConfigError(
        'AZURE_OPENAI_ENDPOINT',
        `Azure OpenAI needs the resource URL (https://<resource>.openai.azure.com) or AZURE_OPENAI_API_INSTANCE_NAME; ${MODELS_DOC}`,
      );
    }
    if (!llm.model) {
      return new ConfigError(
        'AZURE_OPENAI_API_DEPLOYMENT_NAME',
        `Azure OpenAI needs the deployment name (or ARGMED_LLM_MODEL); ${MODELS_DOC}`,
      );
    }
    return undefined;
  }
  if (!llm.baseURL && !llm.apiKey) {
    return new ConfigError(
      'ARGMED_LLM_BASE_URL',
      'no model is configured: set ARGMED_LLM_BASE_URL (or OPENAI_BASE_URL) to an OpenAI-compatible server ' +
        'such as http://127.0.0.1:11434/v1, or ARGMED_LLM_API_KEY (or OPENAI_API_KEY) for the OpenAI API, or ' +
        `the AZURE_OPENAI_* variables for Azure OpenAI; ${MODELS_DOC}`,
    );
  }
  return undefined;
}
