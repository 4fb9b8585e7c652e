/**
 * Starts the real service (store + migrations + case service + app) for a test file, on SQLite in a temp
 * folder or on the machine's PostgreSQL (`DATABASE_URL`) in a fresh schema dropped at the end.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../src/http/logger.js';
import {
  type RunningService,
  type StartServiceOptions,
  startService,
} from '../../../src/http/start-service.js';
import { loadConfig } from '../../../src/config.js';
import { LogCapture } from './test-app.js';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

/** The PostgreSQL the tests use (CI sets DATABASE_URL). */
export const POSTGRES_URL = process.env.DATABASE_URL?.startsWith('postgres')
  ? process.env.DATABASE_URL
  : 'postgres://root@127.0.0.1:5432/test';

export interface RealService extends RunningService {
  logs: LogCapture;
  /** Closes the service and removes its database (temp folder or schema). */
  dispose(): Promise<void>;
}

/**
 * Starts the real service on one dialect, with overload protection off unless `options.app.pressure` asks for
 * it (on a loaded test machine a stalled event loop answers 503 by design, not by defect of the route tested).
 */
export async function startRealService(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: StartServiceOptions = {},
): Promise<RealService> {
  const logs = new LogCapture();
  const dir = dialect === 'sqlite' ? mkdtempSync(join(tmpdir(), 'argmed-api-')) : undefined;
  const databaseUrl = dir ? `sqlite:${join(dir, 'argmed.db')}` : POSTGRES_URL;
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    ARGMED_RATE_LIMIT: '100000',
    LOG_LEVEL: 'info',
    ...env,
  });
  const store = dir
    ? options.store
    : { schema: `api_${randomUUID().replaceAll('-', '')}`, dropSchemaOnClose: true, poolSize: 4 };
  const app = { ...options.app, pressure: { maxEventLoopDelay: 0, ...options.app?.pressure } };
  const running = await startService(config, { logger: createLogger('info', logs), ...options, app, store });
  return {
    ...running,
    logs,
    dispose: async () => {
      await running.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An example case of the repository, as its JSON document. */
export function exampleCaseFile(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../../examples/cases/${name}.json`, import.meta.url), 'utf8'));
}
