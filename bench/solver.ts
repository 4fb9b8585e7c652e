/**
 * Solver benchmark (`npm run bench:solver`). Generates random, long-chain and odd-cycle frameworks of
 * 10^4, 10^5 and 10^6 arguments with about 5 attacks an argument (ICCMA 2023 files in a temp folder),
 * and reports for each: parse seconds, solve seconds, attacks solved per second, peak RSS (each
 * measurement runs in its own child process so peaks do not mix), and the speed-up over a naive
 * fixpoint iteration of the characteristic function (capped at one minute). For the 10^6 random file it
 * times whole CLI processes, and when Debian's clingo is installed it compares a whole `argmed solve`
 * process with clingo running the textbook grounded encoding on 2·10^5 arguments / 10^6 attacks.
 * Figures are printed, not asserted: this is not a timed test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  closeSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { registerSolve } from '../src/cli/solve.js';
import { type Framework, groundedLabelling, LABEL_IN, readFramework } from '../solver/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cliMain = path.resolve(here, '../src/cli/main.js');
const self = fileURLToPath(import.meta.url);
const NAIVE_CAP_SECONDS = 60;
const ATTACKS_PER_ARGUMENT = 5;

type Kind = 'random' | 'chain' | 'odd-cycles';

/** A deterministic xorshift generator, so runs are comparable. */
function generator(seed: number): (n: number) => number {
  let x = seed | 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

/** Writes attacks through a 4 MiB buffer so generating 5·10^6 lines needs no big string. */
class LineWriter {
  private buffer = Buffer.allocUnsafe(1 << 22);
  private used = 0;
  private readonly fd: number;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  line(text: string): void {
    if (this.used + text.length + 1 > this.buffer.length) this.flush();
    this.used += this.buffer.write(text, this.used, 'latin1');
    this.buffer[this.used++] = 10;
  }
  flush(): void {
    writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * Generates one framework file and returns its attack count.
 * random: uniform attacks. chain: argument i attacked by i+1, i+3, i+5, i+7, i+9 (one long dependency
 * chain: the labelling settles one argument after another). odd-cycles: 3-cycles, each argument also
 * attacked by 4 random others, and 1% unattacked arguments attacking at random.
 */
function generate(
  kind: Kind,
  n: number,
  file: string,
  format: 'i23' | 'apx' = 'i23',
  attacks = n * ATTACKS_PER_ARGUMENT,
): number {
  const out = new LineWriter(file);
  const next = generator(n * 31 + kind.length);
  let written = 0;
  const name = (a: number): string => (format === 'i23' ? String(a + 1) : `a${a}`);
  const attack = (from: number, to: number): void => {
    out.line(format === 'i23' ? `${from + 1} ${to + 1}` : `att(a${from},a${to}).`);
    written++;
  };
  if (format === 'i23') out.line(`p af ${n}`);
  else for (let a = 0; a < n; a++) out.line(`arg(${name(a)}).`);
  if (kind === 'random') {
    for (let e = 0; e < attacks; e++) attack(next(n), next(n));
  } else if (kind === 'chain') {
    for (let i = 0; i < n; i++) for (let k = 1; k <= 9; k += 2) if (i + k < n) attack(i + k, i);
  } else {
    const sources = Math.max(1, Math.floor(n / 100));
    const cycled = n - sources;
    for (let i = 0; i + 2 < cycled; i += 3) {
      attack(i, i + 1);
      attack(i + 1, i + 2);
      attack(i + 2, i);
    }
    for (let i = 0; i < cycled; i++) for (let k = 0; k < 4; k++) attack(next(n), i);
    for (let s = cycled; s < n; s++) attack(s, next(cycled));
  }
  out.close();
  return written;
}

/** The naive baseline: iterate F(S) = {a | every attacker of a is attacked by S} from the empty set. */
function naiveFixpoint(
  af: Framework,
  capSeconds: number,
): { seconds: number; finished: boolean; rounds: number; size: number } {
  const started = performance.now();
  let inSet = new Uint8Array(af.count);
  const defeated = new Uint8Array(af.count);
  for (let rounds = 1; ; rounds++) {
    defeated.fill(0);
    for (let a = 0; a < af.count; a++) {
      if (inSet[a] === 0) continue;
      for (let i = af.targetStart[a]; i < af.targetStart[a + 1]; i++) defeated[af.targets[i]] = 1;
    }
    const next = new Uint8Array(af.count);
    let changed = false;
    let size = 0;
    for (let a = 0; a < af.count; a++) {
      let accepted = 1;
      for (let i = af.attackerStart[a]; i < af.attackerStart[a + 1]; i++) {
        if (defeated[af.attackers[i]] === 0) {
          accepted = 0;
          break;
        }
      }
      next[a] = accepted;
      size += accepted;
      if (accepted !== inSet[a]) changed = true;
    }
    inSet = next;
    const seconds = (performance.now() - started) / 1000;
    if (!changed) return { seconds, finished: true, rounds, size };
    if (seconds > capSeconds) return { seconds, finished: false, rounds, size };
  }
}

interface Measurement {
  parseSeconds: number;
  solveSeconds: number;
  /** CPU seconds (user + system) of the same steps: on a shared machine, wall time includes waiting. */
  parseCpu: number;
  solveCpu: number;
  attacks: number;
  inCount: number;
  maxRssMb: number;
  naive?: { seconds: number; finished: boolean; rounds: number; size: number };
}

/** Child-process side: parse and solve one file, print the measurement as JSON. */
async function measure(file: string, withNaive: boolean): Promise<void> {
  const cpu = (): number => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  };
  const cpuStart = cpu();
  const started = performance.now();
  const af = await readFramework(createReadStream(file, { highWaterMark: 1 << 22 }), 'i23', file, {
    sizeHint: statSync(file).size,
  });
  const parseSeconds = (performance.now() - started) / 1000;
  const parseCpu = cpu() - cpuStart;
  let solveSeconds = Number.POSITIVE_INFINITY;
  let solveCpu = Number.POSITIVE_INFINITY;
  let inCount = 0;
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    const c = cpu();
    const labelling = groundedLabelling(af);
    solveSeconds = Math.min(solveSeconds, (performance.now() - t) / 1000);
    solveCpu = Math.min(solveCpu, cpu() - c);
    inCount = 0;
    for (let a = 0; a < af.count; a++) if (labelling.labels[a] === LABEL_IN) inCount++;
  }
  const result: Measurement = {
    parseSeconds,
    solveSeconds,
    parseCpu,
    solveCpu,
    attacks: af.attackCount,
    inCount,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  if (withNaive) {
    const naive = naiveFixpoint(af, NAIVE_CAP_SECONDS);
    if (naive.finished && naive.size !== inCount) throw new Error(`naive fixpoint disagrees on ${file}`);
    result.naive = naive;
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Runs a command under /usr/bin/time -v when present; returns wall seconds and peak RSS in MB. */
function timeProcess(
  command: string,
  args: string[],
): { seconds: number; cpu?: number; maxRssMb?: number; ok: boolean; stdoutBytes: number } {
  const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const started = performance.now();
  const result = timeBinary
    ? spawnSync(timeBinary, ['-v', command, ...args], { maxBuffer: 1 << 30 })
    : spawnSync(command, args, { maxBuffer: 1 << 30 });
  const seconds = (performance.now() - started) / 1000;
  const report = result.stderr?.toString() ?? '';
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
  const user = /User time \(seconds\): ([\d.]+)/.exec(report);
  const system = /System time \(seconds\): ([\d.]+)/.exec(report);
  return {
    seconds,
    cpu: user && system ? Number(user[1]) + Number(system[1]) : undefined,
    maxRssMb: rss ? Number(rss[1]) / 1024 : undefined,
    ok: result.status === 0 || (command.endsWith('clingo') && (result.status === 10 || result.status === 30)),
    stdoutBytes: result.stdout?.length ?? 0,
  };
}

function describe(run: { seconds: number; cpu?: number; maxRssMb?: number }): string {
  const cpu = run.cpu === undefined ? '' : ` (cpu ${fmt(run.cpu)} s)`;
  return `${fmt(run.seconds)} s${cpu}, ${run.maxRssMb === undefined ? '?' : fmt(run.maxRssMb)} MB`;
}

function ratios(theirs: { seconds: number; cpu?: number }, ours: { seconds: number; cpu?: number }): string {
  const wall = `${fmt(theirs.seconds / ours.seconds)}x faster by wall time`;
  return theirs.cpu !== undefined && ours.cpu ? `${wall}, ${fmt(theirs.cpu / ours.cpu)}x by CPU time` : wall;
}

function fmt(x: number, digits = 3): string {
  return x >= 100 ? x.toFixed(0) : x.toPrecision(digits);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'argmed-bench-'));
  console.log(`argmed solver benchmark (node ${process.version}, files in ${dir})\n`);
  console.log(
    'Times are wall seconds with CPU seconds (user + system) in brackets; attacks/s uses solve wall time.',
  );
  console.log(
    'framework            args      attacks  parse s (cpu)     solve s (cpu)        attacks/s  peak RSS MB  naive s      speed-up',
  );
  try {
    let bigRandom = '';
    for (const n of [10_000, 100_000, 1_000_000]) {
      for (const kind of ['random', 'chain', 'odd-cycles'] as Kind[]) {
        const file = path.join(dir, `${kind}-${n}.af`);
        generate(kind, n, file);
        if (kind === 'random' && n === 1_000_000) bigRandom = file;
        const output = execFileSync(process.execPath, [self, '--measure', file, '--naive'], {
          maxBuffer: 1 << 20,
          timeout: (NAIVE_CAP_SECONDS + 120) * 1000,
        }).toString();
        const m = JSON.parse(output.trim().split('\n').pop()!) as Measurement;
        const naive = m.naive!;
        const naiveText = naive.finished ? fmt(naive.seconds) : `>${fmt(naive.seconds)}`;
        const ratio = `${naive.finished ? '' : '>'}${fmt(naive.seconds / m.solveSeconds)}x`;
        console.log(
          `${`${kind}-${n}`.padEnd(20)} ${String(n).padStart(8)} ${String(m.attacks).padStart(10)} ` +
            `${`${fmt(m.parseSeconds)} (${fmt(m.parseCpu)})`.padStart(14)} ${`${fmt(m.solveSeconds)} (${fmt(m.solveCpu)})`.padStart(17)} ${m.solveSeconds > 0 ? (m.attacks / m.solveSeconds).toExponential(2).padStart(11) : '-'.padStart(11)} ` +
            `${fmt(m.maxRssMb).padStart(12)} ${naiveText.padStart(8)} ${ratio.padStart(13)}` +
            (naive.finished ? '' : ` (naive capped after ${naive.rounds} rounds)`),
        );
      }
    }

    const size = (statSync(bigRandom).size / 1e6).toFixed(1);
    console.log(
      `\nWhole CLI process on ${path.basename(bigRandom)} (${size} MB), start + read + parse + solve + print:`,
    );
    for (let run = 1; run <= 3; run++) {
      const full = timeProcess(process.execPath, [cliMain, 'solve', '-p', 'SE-GR', '-f', bigRandom]);
      const solveOnly = timeProcess(process.execPath, [self, '--solve-cli', '-p', 'SE-GR', '-f', bigRandom]);
      console.log(
        `  run ${run}: argmed (dist/src/cli/main.js) ${describe(full)}` +
          ` | solve command alone (without the other sub-commands' imports) ${describe(solveOnly)}` +
          `${full.ok && solveOnly.ok ? '' : ' (a run failed)'}`,
      );
    }

    const clingo = ['/usr/bin/clingo', '/usr/local/bin/clingo'].find((p) => existsSync(p));
    if (clingo === undefined) {
      console.log('\nclingo not installed (Debian package gringo): comparison skipped');
    } else {
      const n = 200_000;
      const attacks = 1_000_000;
      const apx = path.join(dir, 'clingo-200k.apx');
      const af = path.join(dir, 'clingo-200k.af');
      generate('random', n, apx, 'apx', attacks);
      generate('random', n, af, 'i23', attacks);
      const encoding = path.join(dir, 'grounded.lp');
      const out = new LineWriter(encoding);
      out.line('in(X) :- arg(X), defeated(Y) : att(Y,X).');
      out.line('defeated(X) :- in(Y), att(Y,X).');
      out.line('#show in/1.');
      out.close();
      const ours = timeProcess(process.execPath, [cliMain, 'solve', '-p', 'SE-GR', '-f', af]);
      const oursAlone = timeProcess(process.execPath, [self, '--solve-cli', '-p', 'SE-GR', '-f', af]);
      const theirs = timeProcess(clingo, ['--quiet=1', encoding, apx]);
      console.log(
        `\nclingo (${clingo}, textbook grounded encoding) vs a whole argmed solve process, ${n} args / ${attacks} attacks:`,
      );
      console.log(`  clingo ${describe(theirs)}${theirs.ok ? '' : ' (failed)'}`);
      console.log(`  argmed ${describe(ours)}: ${ratios(theirs, ours)}`);
      console.log(`  solve command alone ${describe(oursAlone)}: ${ratios(theirs, oursAlone)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--measure') {
  await measure(argv[1], argv.includes('--naive'));
} else if (argv[0] === '--solve-cli') {
  // The solve sub-command on its own, to separate its cost from the start-up of the full CLI.
  const program = new Command().name('argmed');
  registerSolve(program);
  await program.parseAsync(['node', 'argmed', 'solve', ...argv.slice(1)]);
} else {
  await main();
}
