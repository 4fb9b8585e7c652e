/**
 * `argmed serve`: starts the HTTP service. Opens the store (SQLite by default, PostgreSQL with DATABASE_URL),
 * runs the migrations, re-runs or fails cases a dead process left running, listens, and prints the URL of the
 * API docs and of an example case's graph page (the example is submitted once, under an idempotency key).
 * Without API keys (ARGMED_API_KEYS) it listens on 127.0.0.1 only, and says so.
 *   argmed serve [--port N] [--host ADDRESS] [--no-example] [--queue-prefix argmed]
 * A bad setting prints `argmed serve: VARIABLE: what is wrong` and exits 2; SIGINT/SIGTERM stop it cleanly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { CaseSchema } from '../../agents/case.js';
import { startService } from '../http/start-service.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { packageRoot } from '../../schemes/package-root.js';
import { createViewLinks } from '../view/view-link.js';
import { UsageError } from './usage-error.js';

const EXIT_USAGE = 2;
const EXIT_FAILED = 1;
/** The example case whose page the start-up message links to. */
const EXAMPLE_CASE = 'examples/cases/t2d-first-line-metformin.json';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

interface ServeFlags {
  port?: string;
  host?: string;
  example: boolean;
  queuePrefix: string;
}

/**
 * Registers `serve` on the argmed program.
 * @param program the root commander program
 */
export function registerServe(program: Command): void {
  const command = new Command('serve')
    .option('--port <n>', 'port to listen on (default PORT or 3000)')
    .option('--host <address>', 'address to listen on (default HOST; 127.0.0.1 without API keys)')
    .option('--no-example', 'do not submit the example case at start')
    .option(
      '--queue-prefix <prefix>',
      'Redis key prefix of the work queue cases go to when REDIS_URL is set (as for argmed worker)',
      'argmed',
    )
    .action(async (flags: ServeFlags) => {
      const status = await runServe(flags);
      if (status !== 0) process.exitCode = status;
    });
  program.addCommand(command);
}

/** Starts the service; resolves once listening (0) or on a start-up error (its exit status). */
async function runServe(flags: ServeFlags): Promise<number> {
  let config: Config;
  try {
    config = withFlags(loadConfig(), flags);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      process.stderr.write(`argmed serve: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const notes: string[] = [];
  if (config.apiKeys.length === 0 && !LOOPBACK.has(config.host)) {
    notes.push(
      `No API keys are set, so the service ignores HOST=${config.host} and listens on 127.0.0.1 only.`,
    );
    config = { ...config, host: '127.0.0.1' };
  } else if (config.apiKeys.length === 0) {
    notes.push('No API keys are set (ARGMED_API_KEYS): listening on 127.0.0.1 only, /v1 routes are open.');
  }

  if (config.viewLinks.secretGenerated && config.apiKeys.length > 0) {
    notes.push(
      'ARGMED_VIEW_SECRET is not set: graph-page links are signed with a key made at start, so they stop working at a restart and on other replicas.',
    );
  }

  let service: Awaited<ReturnType<typeof startService>>;
  try {
    service = await startService(config, { queuePrefix: flags.queuePrefix });
  } catch (error) {
    const code = (error as { code?: string }).code;
    process.stderr.write(
      `argmed serve: cannot start: ${(error as Error).message}${code ? ` (${code})` : ''}\n`,
    );
    return EXIT_FAILED;
  }
  const stop = async (signal: string) => {
    service.app.log.info({ signal }, 'shutting down');
    await service.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  try {
    await service.app.listen({ port: config.port, host: config.host });
  } catch (error) {
    process.stderr.write(
      `argmed serve: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`,
    );
    await service.close();
    return EXIT_FAILED;
  }
  const address = service.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const listening = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const base = config.publicUrl?.replace(/\/+$/, '') ?? listening;

  const lines = [`argmed is listening on ${listening}`];
  if (base !== listening) lines.push(`  public URL:   ${base}`);
  lines.push(`  API docs:     ${base}/docs`);
  if (service.migrated.length > 0) lines.push(`  migrations:   ${service.migrated.join(', ')}`);
  if (service.backfilled > 0) lines.push(`  revisions:    revision 1 stored for ${service.backfilled} case(s) finished before this version`);
  if (service.recovered.rerun + service.recovered.failed > 0) {
    lines.push(
      `  recovered:    ${service.recovered.rerun} case(s) re-run, ${service.recovered.failed} marked failed`,
    );
  }
  if (flags.example) {
    const example = await submitExample(service.caseService);
    if (example) lines.push(`  example case: ${base}${createViewLinks(config.viewLinks).path(example)}`);
  }
  const auth = config.apiKeys.length > 0 ? ` -H "authorization: Bearer $ARGMED_API_KEY"` : '';
  lines.push(
    `  try:          curl -s -X POST${auth} -H 'content-type: application/json' --data @${EXAMPLE_CASE} '${base}/v1/cases?wait=true'`,
  );
  lines.push(...notes.map((note) => `  note:         ${note}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}


/** Applies `--port` and `--host` over the configuration. */
function withFlags(config: Config, flags: ServeFlags): Config {
  let { port, host } = config;
  if (flags.port !== undefined) {
    port = Number(flags.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new UsageError(`--port: "${flags.port}" is not a port number (0-65535)`);
    }
  }
  if (flags.host !== undefined) host = flags.host.trim();
  return { ...config, port, host };
}

/** Submits the example case once (an idempotency key makes restarts reuse it); its id, or undefined. */
async function submitExample(caseService: Awaited<ReturnType<typeof startService>>['caseService']) {
  const file = join(packageRoot(), EXAMPLE_CASE);
  if (!existsSync(file)) return undefined;
  try {
    const kase = CaseSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const { record } = await caseService.submit(kase, {
      idempotencyKey: `argmed-serve-example:${EXAMPLE_CASE}`,
    });
    await caseService.waitUntilDone(record.id, 10_000);
    return record.id;
  } catch {
    return undefined;
  }
}
