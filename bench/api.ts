/**
 * `npm run bench:api`: load on the built service over loopback with autocannon, in one run:
 *   - a trivial route (`GET /healthz`), the baseline;
 *   - `POST /v1/solve` of a 200-argument framework (JSON), read by the route's scanner;
 *   - the same framework with its first name written with a JSON escape (`\u0061` for `a`), which the scanner
 *     leaves to the general path (JSON.parse and the structural check): the scanner's gain, in the same run;
 *   - `POST /v1/cases?wait=true` of an example case with the offline knowledge back-end (a whole deliberation:
 *     store, engine, solver, result), at 64 connections, at 4 and alone (1: the latency of one case).
 * The server runs as its own process (`node dist/src/cli/main.js serve`, SQLite in a temp folder), so the load
 * generator does not share its event loop. Prints req/s, p50/p99 latency, errors and non-2xx answers for
 * each, the solve/trivial throughput ratio, and checks the targets (no errors or 5xx; ratio >= 0.3; p99 of
 * a case < 50 ms).
 *   node dist/bench/api.js [--duration SECONDS] [--connections N]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  connections: number;
}

interface Figures {
  name: string;
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Server CPU milliseconds a request, when /proc can tell. */
  serverMsPerRequest: number | undefined;
  /** CPU of this process (autocannon) over the run, as a share of one core. */
  clientCore: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** A random framework of n arguments and about 2n attacks, from a fixed seed (the same every run). */
function framework(n: number): { arguments: string[]; attacks: Array<[string, string]> } {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const names = Array.from({ length: n }, (_, i) => `a${i + 1}`);
  const attacks: Array<[string, string]> = [];
  for (let i = 0; i < 2 * n; i++)
    attacks.push([names[Math.floor(random() * n)], names[Math.floor(random() * n)]]);
  return { arguments: names, attacks };
}

function startServer(database: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    [join(root, 'dist/src/cli/main.js'), 'serve', '--port', '0', '--no-example'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: `sqlite:${database}`,
        ARGMED_RATE_LIMIT: '100000000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /argmed is listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, base: match[1] });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${output}`)));
  });
}

/** User + system CPU milliseconds of a process so far, from /proc (undefined elsewhere). */
function processCpuMs(pid: number | undefined): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (pid === undefined || !existsSync(file)) return undefined;
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks.
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function run(
  base: string,
  serverPid: number | undefined,
  scenario: Scenario,
  seconds: number,
): Promise<Figures> {
  const options = {
    url: base + scenario.path,
    method: scenario.method,
    connections: scenario.connections,
    headers: scenario.body ? { 'content-type': 'application/json' } : {},
    body: scenario.body,
  };
  // Warm-up: JIT, connection set-up, SQLite pages.
  await autocannon({ ...options, duration: 2 });
  const serverBefore = processCpuMs(serverPid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const result = await autocannon({ ...options, duration: seconds });
  const client = process.cpuUsage(clientBefore);
  const serverAfter = processCpuMs(serverPid);
  const served = result.requests.total;
  return {
    name: scenario.name,
    connections: scenario.connections,
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    serverMsPerRequest:
      serverBefore === undefined || serverAfter === undefined || served === 0
        ? undefined
        : (serverAfter - serverBefore) / served,
    clientCore: (client.user + client.system) / 1000 / (performance.now() - started),
  };
}

/** The ratio the server's own CPU allows: what the throughput ratio is when the server's core is the limit. */
function cpuRatio(trivial: Figures, solve: Figures): string {
  if (trivial.serverMsPerRequest === undefined || solve.serverMsPerRequest === undefined) {
    return 'server CPU a request: not measured (no /proc)';
  }
  return (
    `server CPU a request: trivial ${trivial.serverMsPerRequest.toFixed(3)} ms, solve ` +
    `${solve.serverMsPerRequest.toFixed(3)} ms (ratio ${(trivial.serverMsPerRequest / solve.serverMsPerRequest).toFixed(2)})`
  );
}

/** What the solve route's JSON scanner saves against the general path (its reason to exist). */
function scannerGain(scanned: Figures, general: Figures): string {
  const cpu =
    scanned.serverMsPerRequest !== undefined && general.serverMsPerRequest !== undefined
      ? `server CPU a request ${scanned.serverMsPerRequest.toFixed(3)} vs ${general.serverMsPerRequest.toFixed(3)} ms (${(scanned.serverMsPerRequest / general.serverMsPerRequest).toFixed(2)}x)`
      : 'server CPU not measured (no /proc)';
  return `solve JSON scanner against the general path: ${cpu}, throughput ${(scanned.rps / general.rps).toFixed(2)}x`;
}

function table(rows: Figures[]): string {
  const header = [
    'scenario',
    'conns',
    'requests',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'timeouts',
    'non-2xx',
    'srv ms/req',
    'client core',
  ];
  const lines = rows.map((r) => [
    r.name,
    String(r.connections),
    String(r.requests),
    r.rps.toFixed(0),
    r.p50.toFixed(1),
    r.p99.toFixed(1),
    String(r.errors),
    String(r.timeouts),
    String(r.non2xx),
    r.serverMsPerRequest === undefined ? '-' : r.serverMsPerRequest.toFixed(3),
    `${(100 * r.clientCore).toFixed(0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [format(header), ...lines.map(format)].join('\n');
}

async function main(): Promise<void> {
  const seconds = argument('duration', 10);
  const connections = argument('connections', 64);
  const dir = mkdtempSync(join(tmpdir(), 'argmed-bench-api-'));
  const { child, base } = await startServer(join(dir, 'argmed.db'));
  try {
    const example = readFileSync(join(root, 'examples/cases/t2d-first-line-metformin.json'), 'utf8');
    const check = await fetch(`${base}/v1/cases?wait=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: example,
    });
    const decided = await check.json();
    if (check.status !== 200 || decided.status !== 'decided') {
      throw new Error(
        `the example case was not decided: HTTP ${check.status}, ${decided.status}: ${decided.error ?? ''}`,
      );
    }
    const scenarios: Scenario[] = [
      { name: 'GET /healthz (trivial)', method: 'GET', path: '/healthz', connections },
      {
        name: 'POST /v1/solve (200 args)',
        method: 'POST',
        path: '/v1/solve',
        body: JSON.stringify(framework(200)),
        connections,
      },
      {
        name: 'POST /v1/solve (general path)',
        method: 'POST',
        path: '/v1/solve',
        body: JSON.stringify(framework(200)).replace('"a1"', '"\\u00611"'),
        connections,
      },
      {
        name: 'POST /v1/cases?wait=true',
        method: 'POST',
        path: '/v1/cases?wait=true',
        body: example,
        connections,
      },
      {
        name: 'POST /v1/cases?wait=true',
        method: 'POST',
        path: '/v1/cases?wait=true',
        body: example,
        connections: 4,
      },
      {
        name: 'POST /v1/cases?wait=true',
        method: 'POST',
        path: '/v1/cases?wait=true',
        body: example,
        connections: 1,
      },
    ];
    // Other processes on the machine change every figure: the load is printed so runs can be compared.
    const loadBefore = loadavg()[0];
    const rows: Figures[] = [];
    for (const scenario of scenarios) rows.push(await run(base, child.pid, scenario, seconds));

    const [trivial, solve, solveGeneral, cases, casesLight, casesAlone] = rows;
    const ratio = solve.rps / trivial.rps;
    const failures = rows.reduce((sum, r) => sum + r.errors + r.timeouts + r.non2xx, 0);
    const lines = [
      `argmed API benchmark: ${seconds} s a scenario after 2 s of warm-up, loopback, SQLite, knowledge back-end`,
      `machine: ${availableParallelism()} cores, 1-minute load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`,
      `example case: ${decided.status} (${decided.result?.graph?.nodes?.length ?? 0} arguments)`,
      '',
      table(rows),
      '',
      `solve / trivial throughput: ${ratio.toFixed(2)} (target >= 0.30) ${ratio >= 0.3 ? 'ok' : 'MISSED'}`,
      cpuRatio(trivial, solve),
      scannerGain(solve, solveGeneral),
      `errors, timeouts and non-2xx: ${failures} (target 0) ${failures === 0 ? 'ok' : 'MISSED'}`,
      `case p99 alone (1 connection): ${casesAlone.p99.toFixed(1)} ms (target < 50 ms) ${casesAlone.p99 < 50 ? 'ok' : 'MISSED'}; ` +
        `at ${casesLight.connections} connections ${casesLight.p99.toFixed(1)} ms, at ${cases.connections} ${cases.p99.toFixed(1)} ms (queueing)`,
      `cases a second: ${cases.rps.toFixed(0)} at ${cases.connections} connections (each a full deliberation stored in SQLite)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/api: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
