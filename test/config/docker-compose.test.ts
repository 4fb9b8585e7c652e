/**
 * docker-compose.yml, checked by reading (Docker does not run on CI): every variable the services set is one
 * argmed reads (a typo would be ignored silently), the settings with their defaults pass argmed's own
 * validation, images are pinned, the worker's healthcheck tests the heartbeat file its command writes, and
 * the API and the worker see the same datasets folder (a queued evaluation is read by the worker).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES, loadConfig } from '../../src/config.js';

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
}

/** YAML merge keys (`<<: *anchor`) resolved, as Compose does (js-yaml keeps them as a plain key). */
function merged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(merged);
  if (value === null || typeof value !== 'object') return value;
  const { '<<': base, ...own } = value as Record<string, unknown>;
  const entries = Object.entries(own).map(([k, v]) => [k, merged(v)]);
  return { ...(merged(base) as object | undefined), ...Object.fromEntries(entries) };
}

const compose = merged(parseYaml(readFileSync(join(import.meta.dirname, '../../docker-compose.yml'), 'utf8'))) as {
  services: Record<string, Service>;
};
const { api, worker } = compose.services;

/** A value as Compose fills it in: `${VAR:-default}` gives the default, `${VAR:?message}` a sample value. */
function interpolate(value: string, required: Record<string, string>): string {
  return String(value).replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_m, name: string, fallback?: string) => {
    if (fallback !== undefined) return fallback;
    if (name in required) return required[name];
    throw new Error(`${name} has no default and no sample value`);
  });
}

const samples = { ARGMED_API_KEYS: 'change-me', ARGMED_VIEW_SECRET: 'x'.repeat(44) };

describe('docker-compose.yml', () => {
  it.each([
    ['api', api],
    ['worker', worker],
  ])('%s sets only variables argmed reads, with values it accepts', (_name, service) => {
    const environment = service.environment ?? {};
    expect(Object.keys(environment).filter((key) => !ENV_VARIABLES.includes(key))).toEqual([]);
    const env = Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, interpolate(v, samples)]));
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.image) continue;
      expect(service.image, name).toMatch(/:\d[\w.-]*$/);
    }
  });

  it("tests the worker's health by the heartbeat file its command writes, not by a port", () => {
    const file = worker.command?.[worker.command.indexOf('--heartbeat-file') + 1];
    expect(file).toMatch(/^\//);
    const check = worker.healthcheck?.test.join(' ') ?? '';
    expect(check).toContain(file);
    expect(check).not.toMatch(/https?:|curl|wget/);
  });

  it('mounts the datasets folder where both services look for it', () => {
    const dir = api.environment?.ARGMED_DATASETS_DIR ?? worker.environment?.ARGMED_DATASETS_DIR;
    expect(dir).toBeDefined();
    const mountedAt = (service: Service) =>
      (service.volumes ?? []).map((volume) => interpolate(volume, {}).split(':')[1]);
    expect(mountedAt(api)).toContain(dir);
    expect(mountedAt(worker)).toContain(dir);
  });
});
