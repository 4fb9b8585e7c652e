/**
 * The one place that reads the environment. Every setting is validated here; a bad value stops start-up
 * with the variable's name. Everything else receives a `Config` (or a part of it) as a parameter.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

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
  ARGMED_BACKEND: z.enum(['knowledge', 'openai']).default('knowledge'),
  ARGMED_KNOWLEDGE: optionalString,
  ARGMED_SCHEMES_DIR: optionalString,
  ARGMED_LLM_BASE_URL: optionalString.refine((url) => url === undefined || URL.canParse(url), {
    message: 'must be a URL such as http://127.0.0.1:8000/v1',
  }),
  ARGMED_LLM_MODEL: z.string().default('gpt-4o-mini'),
  ARGMED_LLM_API_KEY: optionalString,
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
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.output<typeof EnvSchema>;

export interface LlmConfig {
  baseURL?: string;
  model: string;
  apiKey?: string;
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
  llm: LlmConfig;
  rateLimitPerMinute: number;
  /** Requests a minute one address may make without a valid API key (missing or wrong), when keys are set. */
  authFailuresPerMinute: number;
  /** A bearer token that opens `/metrics` (besides the API keys), for a Prometheus scraper. */
  metricsToken?: string;
  bodyLimitBytes: number;
  corsOrigin?: string;
  cds: { insecure: boolean; issuers?: string };
  publicUrl?: string;
  /**
   * Signed links to a case's graph page (src/view/view-link.ts): the HMAC key and how long a link works.
   * Without `ARGMED_VIEW_SECRET` a random key is made at start (`secretGenerated`): links then stop working
   * at a restart and are not shared between replicas.
   */
  viewLinks: { secret: string; ttlSeconds: number; secretGenerated: boolean };
  logLevel: Env['LOG_LEVEL'];
}

/** A configuration error: names the variable so the operator can fix it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
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
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const e = parsed.data;
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
    llm: {
      baseURL: e.ARGMED_LLM_BASE_URL,
      model: e.ARGMED_LLM_MODEL,
      apiKey: e.ARGMED_LLM_API_KEY,
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
    cds: { insecure: e.ARGMED_CDS_INSECURE, issuers: e.ARGMED_CDS_ISSUERS },
    publicUrl: e.ARGMED_PUBLIC_URL,
    viewLinks: {
      secret: e.ARGMED_VIEW_SECRET ?? randomBytes(32).toString('base64url'),
      ttlSeconds: e.ARGMED_VIEW_LINK_TTL,
      secretGenerated: e.ARGMED_VIEW_SECRET === undefined,
    },
    logLevel: e.LOG_LEVEL,
  };
}
