/**
 * CDS Hooks benchmark: the service's own time per hook call (fastify inject, so no network), with the
 * knowledge back-end over the example knowledge base and the realistic FHIR fixtures of each hook
 * (prefetch included). Reports p50 / p99 per hook and overall; the target is p99 < 100 ms, which leaves
 * most of an EHR's ~500 ms budget to the network and, later, to a model.
 *
 * Run: npm run bench:cds  (options: --calls N per hook, default 300; --warmup N, default 30)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { cdsHooksPlugin } from '../src/cds/cds-hooks-plugin.js';
import { loadConfig } from '../src/config.js';

const HOOKS = ['patient-view', 'order-select', 'order-sign'] as const;
const TARGET_P99_MS = 100;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function fixture(hook: string): unknown {
  const file = fileURLToPath(new URL(`../../test/cds/fixtures/${hook}.json`, import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8'));
}

async function main(): Promise<void> {
  const calls = option('calls', 300);
  const warmup = option('warmup', 30);
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const now = Date.parse('2026-11-25T12:00:00Z');
  await app.register(cdsHooksPlugin, {
    config: loadConfig({ ARGMED_CDS_INSECURE: '1', LOG_LEVEL: 'silent' }),
    now: () => now,
  });
  await app.ready();

  const rows: Array<{ hook: string; p50: number; p99: number; max: number; cards: number }> = [];
  const all: number[] = [];
  for (const hook of HOOKS) {
    const body = fixture(hook) as Record<string, unknown>;
    const url = `/cds-services/argmed-${hook}`;
    let cards = 0;
    for (let i = 0; i < warmup; i += 1) await app.inject({ method: 'POST', url, payload: body });
    const times: number[] = [];
    for (let i = 0; i < calls; i += 1) {
      const started = performance.now();
      const response = await app.inject({ method: 'POST', url, payload: body });
      times.push(performance.now() - started);
      if (response.statusCode !== 200)
        throw new Error(`${hook}: HTTP ${response.statusCode}: ${response.body}`);
      cards = (response.json() as { cards: unknown[] }).cards.length;
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    rows.push({
      hook,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      max: times[times.length - 1],
      cards,
    });
  }
  all.sort((a, b) => a - b);
  const ms = (value: number) => value.toFixed(1).padStart(7);
  process.stdout.write(
    `CDS Hooks, knowledge back-end, ${calls} calls per hook after ${warmup} warm-up calls\n`,
  );
  process.stdout.write(`hook            p50 ms  p99 ms  max ms  cards\n`);
  for (const row of rows) {
    process.stdout.write(
      `${row.hook.padEnd(14)}${ms(row.p50)} ${ms(row.p99)} ${ms(row.max)}  ${row.cards}\n`,
    );
  }
  const p99 = percentile(all, 99);
  process.stdout.write(
    `${'all'.padEnd(14)}${ms(percentile(all, 50))} ${ms(p99)} ${ms(all[all.length - 1])}\n`,
  );
  process.stdout.write(`target p99 < ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'met' : 'NOT met'}\n`);
  await app.close();
  if (p99 >= TARGET_P99_MS) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:cds: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
