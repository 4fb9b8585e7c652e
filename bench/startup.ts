/**
 * Start-up benchmark (`npm run bench:startup`; `node dist/bench/startup.js [--runs 5]`).
 * Whole processes, alternating within each round so a change of machine load hits every candidate alike:
 * - `node -e 0` (the floor), `argmed --help`, `argmed solve -p SE-GR` on a 10-argument file: CPU (user +
 *   system, from /usr/bin/time) and wall time to exit, and peak RSS;
 * - `argmed serve` (SQLite in a temp folder, knowledge back-end, no example case) and a bare fastify app
 *   that registers the same plugins (bench/startup-bare-fastify.ts): wall time from spawn to the first 200
 *   on `/healthz`, and the CPU the process had used by then (/proc/PID/stat).
 * Prints each run with the 1-minute load, then the median ratios by CPU and by wall time against their
 * targets: --help and solve within 2.5x of `node -e 0`, serve within 2x of the bare app.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cliMain = path.resolve(here, '../src/cli/main.js');
const bareApp = path.join(here, 'startup-bare-fastify.js');
const READY_TIMEOUT_MS = 60_000;

interface Run {
  wall: number;
  cpu: number;
  rssMb?: number;
}

/** One process to its exit under /usr/bin/time (CPU of the child), or wall time only without it. */
function oneShot(args: string[]): Run {
  const time = existsSync('/usr/bin/time');
  const started = performance.now();
  const result = time
    ? spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %M', process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`bench/startup: node ${args.join(' ')} failed: ${result.stderr}`);
  const line = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr);
  return line
    ? { wall, cpu: Number(line[1]) + Number(line[2]), rssMb: Number(line[3]) / 1024 }
    : { wall, cpu: Number.NaN };
}

const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system, all threads) a running process has used, from /proc; NaN elsewhere. */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return Number.NaN;
  }
}

/**
 * Spawns a server, waits for the port it prints on stdout (`portOf`), then polls `/healthz` until a 200.
 * @returns wall seconds from spawn to that 200 and the CPU the process had used by then
 */
async function toFirstOk(
  args: string[],
  env: NodeJS.ProcessEnv,
  portOf: (line: string) => number | undefined,
): Promise<Run> {
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error('bench/startup: no port within 60 s')), READY_TIMEOUT_MS);
      child.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        for (const line of text.split('\n')) {
          const port = portOf(line);
          if (port !== undefined) {
            clearTimeout(timer);
            resolve(port);
          }
        }
      });
      child.once('exit', (code) => reject(new Error(`bench/startup: node ${args.join(' ')} exited (${code})`)));
    });
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) return { wall: (performance.now() - started) / 1000, cpu: cpuOf(child.pid!) };
      if (performance.now() - started > READY_TIMEOUT_MS) throw new Error('bench/startup: never ready');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

const f = (x: number): string => (Number.isNaN(x) ? '?' : x.toFixed(3));
const load = (): string => loadavg()[0].toFixed(2);

async function main(runs: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'argmed-startup-'));
  const ten = path.join(dir, 'ten.af');
  writeFileSync(ten, 'p af 10\n1 2\n2 3\n3 4\n4 5\n5 6\n6 7\n7 8\n8 9\n9 10\n10 1\n1 5\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `sqlite:${path.join(dir, 'argmed.db')}`,
    LOG_LEVEL: 'warn',
    ARGMED_BACKEND: 'knowledge',
  };
  delete env.REDIS_URL;
  delete env.PORT;
  const servePort = (line: string) => {
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
    return match ? Number(match[1]) : undefined;
  };
  const barePort = (line: string) => {
    const match = /^\{"port":(\d+)\}/.exec(line);
    return match ? Number(match[1]) : undefined;
  };
  const serveArgs = [cliMain, 'serve', '--port', '0', '--no-example'];
  const candidates: Record<string, () => Run | Promise<Run>> = {
    'node -e 0': () => oneShot(['-e', '0']),
    'argmed --help': () => oneShot([cliMain, '--help']),
    'argmed solve (10 args)': () => oneShot([cliMain, 'solve', '-p', 'SE-GR', '-f', ten]),
    'bare fastify to 200': () => toFirstOk([bareApp], env, barePort),
    'argmed serve to 200': () => toFirstOk(serveArgs, env, servePort),
  };
  console.log(`argmed start-up benchmark (node ${process.version}, ${runs} rounds, load ${load()})`);
  // One unmeasured round: creates and migrates the database (later serves are restarts) and warms the disk cache.
  for (const run of Object.values(candidates)) await run();
  const results: Record<string, Run[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  try {
    for (let round = 1; round <= runs; round++) {
      const cells: string[] = [];
      const before = load();
      for (const [name, run] of Object.entries(candidates)) {
        const r = await run();
        results[name].push(r);
        cells.push(`${name} ${f(r.cpu)} cpu / ${f(r.wall)} wall${r.rssMb ? ` ${r.rssMb.toFixed(0)} MB` : ''}`);
      }
      console.log(`round ${round} (load ${before} -> ${load()}): ${cells.join(' | ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = (name: string, base: string, key: 'cpu' | 'wall') =>
    median(results[name].map((r, i) => r[key] / results[base][i][key]));
  const report = (name: string, base: string, target: number) => {
    const byCpu = ratio(name, base, 'cpu');
    const byWall = ratio(name, base, 'wall');
    console.log(
      `  ${name} / ${base}: ${byCpu.toFixed(2)}x by CPU, ${byWall.toFixed(2)}x by wall ` +
        `(target <= ${target}x: ${byCpu <= target ? 'met' : 'NOT met'} by CPU, ${byWall <= target ? 'met' : 'NOT met'} by wall)`,
    );
  };
  console.log(`median of the per-round ratios (load ${load()}):`);
  report('argmed --help', 'node -e 0', 2.5);
  report('argmed solve (10 args)', 'node -e 0', 2.5);
  report('argmed serve to 200', 'bare fastify to 200', 2);
}

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
await main(runsAt >= 0 ? Number(argv[runsAt + 1]) : 5);
