/** Builds the app for route tests: the real app over a given case service, logs captured in memory. */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadSchemes } from '../../../schemes/load.js';
import type { Scheme } from '../../../schemes/types.js';
import { buildApp } from '../../../src/http/build-app.js';
import { createLogger } from '../../../src/http/logger.js';
import { createMetrics } from '../../../src/http/metrics.js';
import type { AppOptions } from '../../../src/http/types.js';
import type { CaseService } from '../../../src/cases/types.js';
import { loadConfig } from '../../../src/config.js';

/** Log lines written by an app under test. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

let schemes: Scheme[] | undefined;

/** The real schemes of the repository (loaded once). */
export async function realSchemes(): Promise<Scheme[]> {
  schemes ??= (await loadSchemes()).all();
  return schemes;
}

export interface TestApp {
  app: FastifyInstance;
  logs: LogCapture;
}

/**
 * Builds an app. Overload protection is off unless `extra.pressure` asks for it: a loaded test machine stalls
 * the event loop for a second now and then, and a 503 then is the guard working, not the route under test.
 * @param env environment overrides (ARGMED_API_KEYS, ARGMED_RATE_LIMIT, ARGMED_BODY_LIMIT, ...).
 */
export async function testApp(
  caseService: CaseService,
  env: Record<string, string> = {},
  extra: Partial<AppOptions> = {},
): Promise<TestApp> {
  const logs = new LogCapture();
  const config = loadConfig({ LOG_LEVEL: 'info', ARGMED_RATE_LIMIT: '10000', ...env });
  const app = await buildApp({
    config,
    caseService,
    schemes: await realSchemes(),
    logger: createLogger('info', logs),
    metrics: createMetrics(false),
    waitLimitMs: 2_000,
    ...extra,
    pressure: { maxEventLoopDelay: 0, ...extra.pressure },
  });
  return { app, logs };
}

/** A small valid case document. */
export function exampleCase(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Community-acquired pneumonia',
    facts: [
      'Patient reports a SECRET-FACT-TOKEN rash after penicillin',
      { text: 'Age 54', codes: ['adult'] },
    ],
    question: 'Which antibiotic should be started?',
    options: [
      { id: 'amox', text: 'amoxicillin' },
      { id: 'doxy', text: 'doxycycline' },
    ],
    ...overrides,
  };
}
