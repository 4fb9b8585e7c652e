/**
 * Solver benchmark (`npm run bench:solver`; `node dist/bench/solver.js [--only table,c,clingo] [--runs 3]`).
 * table: generates random, long-chain and odd-cycle frameworks of 10^4, 10^5 and 10^6 arguments with about
 *   5 attacks an argument (ICCMA 2023 files in a temp folder) and reports for each: parse seconds, solve
 *   seconds, attacks solved per second, peak RSS (each measurement in its own child process so peaks do not
 *   mix), and the speed-up over a naive fixpoint iteration of the characteristic function (capped at one
 *   minute).
 * c: compiles bench/grounded-reference.c (the same counting algorithm in plain C) with gcc and compares
 *   whole `argmed solve -p SE-GR` processes and each phase (parse, build, label) with it on the 10^6 /
 *   5·10^6 random file, by CPU time, runs alternating; the two answers must be byte-identical.
 * clingo: when Debian's clingo is installed, compares a whole argmed process with clingo running the
 *   textbook grounded encoding on 2·10^5 arguments / 10^6 attacks, by CPU time; the extensions must agree.
 * The machine may be shared: every run prints the 1-minute load, and ratios are by CPU time (user +
 * system of the child process), which waiting for a core does not inflate. Figures are printed, not
 * asserted: this is not a timed test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { frameworkFromEdges } from '../solver/framework.js';
import { fileChunks } from '../src/cli/file-chunks.js';
import { openInputFile } from '../src/cli/open-input-file.js';
import { readIccmaEdges } from '../solver/formats/iccma.js';
import { type Framework, groundedLabelling, LABEL_IN, readFramework } from '../solver/index.js';
import { packageRoot } from '../schemes/package-root.js';

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

/** One whole process: wall and CPU seconds (user + system, from /usr/bin/time), peak RSS, its stdout. */
interface ProcessRun {
  seconds: number;
  cpu?: number;
  maxRssMb?: number;
  ok: boolean;
  stdout: Buffer;
  stderr: string;
}

/** Runs a command under /usr/bin/time -v when present (CPU and peak RSS of the child), else wall time only. */
function timeProcess(command: string, args: string[], okStatuses: number[] = [0]): ProcessRun {
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
    ok: okStatuses.includes(result.status ?? -1),
    stdout: result.stdout ?? Buffer.alloc(0),
    stderr: report,
  };
}

function describe(run: ProcessRun): string {
  const cpu = run.cpu === undefined ? '' : ` (cpu ${fmt(run.cpu)} s)`;
  return `${fmt(run.seconds)} s${cpu}, ${run.maxRssMb === undefined ? '?' : fmt(run.maxRssMb)} MB`;
}

/** theirs / ours by wall time and, when both are known, by CPU time. */
function ratios(theirs: ProcessRun, ours: ProcessRun, word: string): string {
  const wall = `${fmt(theirs.seconds / ours.seconds)}x ${word} by wall time`;
  return theirs.cpu !== undefined && ours.cpu ? `${wall}, ${fmt(theirs.cpu / ours.cpu)}x by CPU time` : wall;
}

function fmt(x: number, digits = 3): string {
  return x >= 100 ? x.toFixed(0) : x.toPrecision(digits);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

function load(): string {
  return `load ${loadavg()[0].toFixed(2)}`;
}

/** The IN arguments of a `w 1 3 5` line, or of clingo's `in(a0) in(a2)` atoms (apx names a0.. are ids 1..). */
function inSet(output: string): string {
  const clingo = [...output.matchAll(/\bin\(a(\d+)\)/g)].map((m) => Number(m[1]) + 1);
  if (clingo.length > 0) return clingo.sort((x, y) => x - y).join(' ');
  const witness = /^w(.*)$/m.exec(output);
  return witness ? witness[1].trim() : `(no answer: ${output.slice(0, 60)})`;
}

/** The table: every generated framework, parse and solve in a child process, against the naive fixpoint. */
function tableSection(dir: string): void {
  console.log(
    'Times are wall seconds with CPU seconds (user + system) in brackets; attacks/s uses solve wall time.',
  );
  console.log(
    'framework            args      attacks  parse s (cpu)     solve s (cpu)        attacks/s  peak RSS MB  naive s      speed-up',
  );
  for (const n of [10_000, 100_000, 1_000_000]) {
    for (const kind of ['random', 'chain', 'odd-cycles'] as Kind[]) {
      const file = path.join(dir, `${kind}-${n}.af`);
      generate(kind, n, file);
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
}

/** Per-phase seconds of one cold run (what a CLI process does once), CPU and wall. */
interface Phases {
  parseCpu: number;
  buildCpu: number;
  labelCpu: number;
  parseWall: number;
  buildWall: number;
  labelWall: number;
  attacks: number;
}

/** Child-process side of the C comparison: argmed's parse, build and label phases, timed apart. */
async function phases(file: string): Promise<void> {
  const cpu = (): number => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  };
  const c0 = cpu();
  const w0 = performance.now();
  // Read as `argmed solve` reads: 1 MiB chunks into two reused buffers (a stream's fresh buffers cost page faults).
  const { handle, size } = await openInputFile(file, Number.MAX_SAFE_INTEGER);
  const { count, edges } = await readIccmaEdges(fileChunks(handle, Number.MAX_SAFE_INTEGER), file, {
    sizeHint: size,
  });
  await handle.close();
  const c1 = cpu();
  const w1 = performance.now();
  const af = frameworkFromEdges(count, edges);
  const c2 = cpu();
  const w2 = performance.now();
  groundedLabelling(af);
  const c3 = cpu();
  const w3 = performance.now();
  const result: Phases = {
    parseCpu: c1 - c0,
    buildCpu: c2 - c1,
    labelCpu: c3 - c2,
    parseWall: (w1 - w0) / 1000,
    buildWall: (w2 - w1) / 1000,
    labelWall: (w3 - w2) / 1000,
    attacks: af.attackCount,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * argmed against the C reference (bench/grounded-reference.c, compiled here with gcc -O2) on the 10^6 /
 * 5·10^6 random file: whole processes and each phase, alternating C and argmed, `runs` times.
 */
function cSection(dir: string, runs: number): void {
  const source = path.join(packageRoot(), 'bench/grounded-reference.c');
  const binary = path.join(dir, 'grounded-reference');
  const gcc = spawnSync('gcc', ['-O2', '-o', binary, source], { encoding: 'utf8' });
  if (gcc.error !== undefined || gcc.status !== 0) {
    console.log(
      `\nC reference skipped: gcc could not build ${source} (${gcc.error?.message ?? gcc.stderr.trim()})`,
    );
    return;
  }
  const n = 1_000_000;
  const file = path.join(dir, `random-${n}.af`);
  if (!existsSync(file)) generate('random', n, file);
  const size = (statSync(file).size / 1e6).toFixed(1);
  console.log(
    `\nargmed / C reference (gcc -O2, same algorithm) on random-${n} (${size} MB), ${runs} alternating runs.` +
      '\nWhole process: start, read, parse, build, label, print `-p SE-GR`. Phases: one cold run each, CPU seconds.',
  );
  const whole: number[] = [];
  const wholeWall: number[] = [];
  const perPhase: Record<'parse' | 'build' | 'label', number[]> = { parse: [], build: [], label: [] };
  for (let run = 1; run <= runs; run++) {
    const before = load();
    const c = timeProcess(binary, [file]);
    const ours = timeProcess(process.execPath, [cliMain, 'solve', '-p', 'SE-GR', '-f', file]);
    const cPhases = JSON.parse(c.stderr.split('\n').find((l) => l.startsWith('{'))!) as Phases;
    const ourPhases = JSON.parse(
      execFileSync(process.execPath, [self, '--phases', file], { maxBuffer: 1 << 20 }).toString().trim(),
    ) as Phases;
    const same = c.ok && ours.ok && c.stdout.equals(ours.stdout);
    if (!same) throw new Error(`bench/solver: argmed and the C reference disagree on ${file}`);
    whole.push(ours.cpu! / c.cpu!);
    wholeWall.push(ours.seconds / c.seconds);
    const phaseText = (['parse', 'build', 'label'] as const)
      .map((phase) => {
        const key = `${phase}Cpu` as const;
        perPhase[phase].push(ourPhases[key] / cPhases[key]);
        return `${phase} ${fmt(ourPhases[key])}/${fmt(cPhases[key])} s = ${fmt(ourPhases[key] / cPhases[key])}x`;
      })
      .join(', ');
    console.log(
      `  run ${run} (${before} -> ${load()}): whole argmed ${describe(ours)} | C ${describe(c)}` +
        ` | argmed/C ${fmt(ours.cpu! / c.cpu!)}x by CPU, ${fmt(ours.seconds / c.seconds)}x by wall; ${phaseText}` +
        ' (answers identical)',
    );
  }
  console.log(
    `  median argmed/C: whole process ${fmt(median(whole))}x by CPU (target <= 1.5), ` +
      `${fmt(median(wholeWall))}x by wall; parse ${fmt(median(perPhase.parse))}x, ` +
      `build ${fmt(median(perPhase.build))}x, label ${fmt(median(perPhase.label))}x by CPU`,
  );
}

/** clingo (Debian package gringo) with the textbook grounded encoding against a whole argmed process. */
function clingoSection(dir: string, runs: number): void {
  const clingo = ['/usr/bin/clingo', '/usr/local/bin/clingo'].find((p) => existsSync(p));
  if (clingo === undefined) {
    console.log('\nclingo not installed (Debian package gringo): comparison skipped');
    return;
  }
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
  console.log(
    `\nclingo (${clingo}, textbook grounded encoding) / a whole argmed solve process, ${n} args / ${attacks} attacks, ${runs} alternating runs:`,
  );
  const byCpu: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const before = load();
    const ours = timeProcess(process.execPath, [cliMain, 'solve', '-p', 'SE-GR', '-f', af]);
    const theirs = timeProcess(clingo, ['--quiet=1', encoding, apx], [10, 30]);
    const same = inSet(ours.stdout.toString()) === inSet(theirs.stdout.toString());
    if (!same || !ours.ok || !theirs.ok) throw new Error('bench/solver: clingo and argmed disagree');
    if (theirs.cpu !== undefined && ours.cpu) byCpu.push(theirs.cpu / ours.cpu);
    console.log(
      `  run ${run} (${before} -> ${load()}): clingo ${describe(theirs)} | argmed ${describe(ours)}: ` +
        `${ratios(theirs, ours, 'faster')} (same grounded extension)`,
    );
  }
  if (byCpu.length > 0) console.log(`  median ${fmt(median(byCpu))}x faster by CPU time (target >= 30)`);
}

async function main(sections: string[], runs: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'argmed-bench-'));
  console.log(`argmed solver benchmark (node ${process.version}, files in ${dir}, ${load()})\n`);
  try {
    if (sections.includes('table')) tableSection(dir);
    if (sections.includes('c')) cSection(dir, runs);
    if (sections.includes('clingo')) clingoSection(dir, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--measure') {
  await measure(argv[1], argv.includes('--naive'));
} else if (argv[0] === '--phases') {
  await phases(argv[1]);
} else {
  // `node dist/bench/solver.js [--only table,c,clingo] [--runs 3]`
  const only = argv.indexOf('--only');
  const runsAt = argv.indexOf('--runs');
  const sections = only >= 0 ? argv[only + 1].split(',') : ['table', 'c', 'clingo'];
  await main(sections, runsAt >= 0 ? Number(argv[runsAt + 1]) : 3);
}
