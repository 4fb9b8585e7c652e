/**
 * Benchmark of the deliberation engine (`npm run bench:engine`).
 *
 * 1. Every example case with the `openai` back-end (the real `openai` client through LangChain) against the
 *    mock OpenAI server running in a process of its own (as a model server is remote, its CPU is not charged
 *    to argmed), 200 ms of latency a call, scripted from the case so that the dialogue takes several rounds:
 *    the decision argument of every option but the first fails its side-effects question; the side effect of
 *    the second option is then mitigated (its mitigation question fails), which reinstates it and ties it
 *    with the first; the comparer prefers the first. Reported per case: model calls, verifier calls against
 *    arguments verified, tokens, rounds, wall time, wall / (rounds x latency) and wall / (critical path x
 *    latency), where the critical path counts one model call for round 0, the better-decision round and a
 *    round without counters, and two for a round that adds counters (its verify call must answer before its
 *    counter call can start); and argmed's CPU time (process.cpuUsage over `deliberate`, median of
 *    CASE_RUNS runs) per case and per model call (target <= 2 ms a call), measured after a warm-up of
 *    WARMUP_RUNS deliberations of every case, as in a running service; the process's first (cold)
 *    deliberation is printed apart. Every case is run again against a mock that answers at once (cpu/call
 *    0 ms): argmed's own CPU a call, without what a process pays on this machine for waking up between calls,
 *    which a control (a fixed piece of work, back to back and once every 200 ms) measures next to it.
 * 2. Engine time outside the model: a zero-latency in-process back-end whose verifier fails every critical
 *    question, so the graph grows to the 200-argument budget; the whole deliberation time is engine time.
 * The 1-minute load is printed with the figures: CPU time is what a busy machine does not inflate much.
 * `node dist/bench/engine.js --mock CASE_FILE LATENCY_MS` is the mock's own process (prints `{"url"}`).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Case, CaseSchema, candidateOptions } from '../agents/case.js';
import { createOpenAIBackend, MemoryCallCache } from '../agents/llm/index.js';
import type { Backend } from '../agents/types.js';
import { loadSchemes, type SchemeRegistry } from '../schemes/load.js';
import { deliberate } from '../src/engine/deliberate.js';
import { explodingBackend } from './exploding-backend.js';
import type { DeliberationResult } from '../src/engine/types.js';
import {
  type JsonSchema,
  type MockChatRequest,
  promptText,
  requestedSchema,
  roleOf,
  sampleFromSchema,
  startMockOpenAI,
} from '../test/support/mock-openai-server.js';
import { packageRoot } from '../schemes/package-root.js';

const LATENCY_MS = 200;
const ENGINE_RUNS = 300;
const ENGINE_WARMUP = 30;
const CASE_RUNS = 3;
/** Runs a case against the mock that answers at once: cheap, and the median needs more of them. */
const ZERO_LATENCY_RUNS = 15;
const WARMUP_RUNS = 4;

/** The challenged or verified argument of a prompt: `<argument id=".." scheme=".." option="..">` and summary. */
function argumentOf(prompt: string): { id: string; scheme: string; option?: string; summary: string } {
  const head = /<argument id="([^"]*)" scheme="([^"]*)"(?: option="([^"]*)")?>/.exec(prompt);
  const summary = /<summary>([^<]*)<\/summary>/.exec(prompt)?.[1] ?? '';
  return { id: head?.[1] ?? '?', scheme: head?.[2] ?? '?', option: head?.[3], summary };
}

/** The scripted model for one case (see the file comment). */
function scriptFor(kase: Case) {
  const options = (candidateOptions(kase) ?? []).map((o) => o.id);
  return function respond(request: MockChatRequest) {
    const schema = requestedSchema(request) as JsonSchema;
    const prompt = promptText(request);
    switch (roleOf(request)) {
      case 'generator-propose': {
        const ids = schema.properties?.arguments?.items?.properties?.option?.enum ?? [];
        const text = (path: string[]) =>
          path.at(-1) === 'text' ? `Option ${ids[Number(path[1])]} serves the goal` : path.join('.');
        return { json: sampleFromSchema(schema, { text }) };
      }
      case 'verifier': {
        const argument = argumentOf(prompt);
        const fail =
          argument.scheme === 'ASDM' && argument.option !== options[0]
            ? 'side-effects'
            : argument.scheme === 'ASSE' && argument.summary.endsWith(`option ${options[1]}`)
              ? 'mitigation'
              : undefined;
        const choose = (path: string[], values: unknown[]) =>
          path.at(-1) === 'challenge' ? (path[1] === fail ? 'yes' : 'no') : values[0];
        return { json: sampleFromSchema(schema, { choose, text: () => 'grounded in the case facts' }) };
      }
      case 'generator-counter': {
        const challenged = argumentOf(prompt);
        const option = challenged.option ?? /option (\S+)$/.exec(challenged.summary)?.[1] ?? '?';
        const text = (path: string[]) =>
          path.at(-1) === 'text'
            ? `Counter to ${challenged.id} about option ${option}`
            : `${challenged.id}:${path.join('.')}`;
        return { json: sampleFromSchema(schema, { text }) };
      }
      case 'comparer':
        return { json: sampleFromSchema(schema, { text: (path) => `comparison ${path.join('.')}` }) };
      default:
        return { status: 500 };
    }
  };
}

/** Model calls on the critical path: 1 a round, 2 for a critique round that added counter-arguments. */
function criticalPath(result: DeliberationResult): number {
  let steps = 0;
  for (let round = 0; round < result.rounds; round++) {
    const added = result.graph.nodes.filter((n) => n.round === round);
    const counters = round > 0 && added.some((n) => n.agent === 'generator');
    steps += counters ? 2 : 1;
  }
  return steps;
}

interface Row {
  name: string;
  status: string;
  calls: number;
  verifierCalls: number;
  verified: number;
  tokens: number;
  rounds: number;
  path: number;
  wallMs: number;
  /** argmed's CPU milliseconds for the whole case (median of CASE_RUNS runs). */
  cpuMs: number;
}

/** The scripted mock for one case in its own process; `calls()` asks it how many verifier calls it has seen. */
function spawnMock(
  file: string,
  latencyMs = LATENCY_MS,
): Promise<{ url: string; verifierCalls: () => Promise<number>; stop: () => void }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--mock', file, String(latencyMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench/engine: mock server exited (${code})`)));
    next().then((line) =>
      resolve({
        url: (JSON.parse(line) as { url: string }).url,
        verifierCalls: async () => {
          const answer = next();
          child.stdin!.write('count\n');
          return (JSON.parse(await answer) as { verifier: number }).verifier;
        },
        stop: () => child.stdin!.end(),
      }),
    );
  });
}

/** The mock's process: serves the case's script, answers `count` lines on stdin, stops when stdin ends. */
async function serveMock(file: string, latencyMs: number): Promise<void> {
  const kase = CaseSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const mock = await startMockOpenAI({ respond: scriptFor(kase), latencyMs });
  let verifier = 0;
  const keep = mock.requests;
  const trim = setInterval(() => {
    verifier += keep.filter((r) => roleOf(r) === 'verifier').length;
    keep.splice(0, keep.length);
  }, 1_000);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', () => {
    const seen = verifier + keep.filter((r) => roleOf(r) === 'verifier').length;
    process.stdout.write(`${JSON.stringify({ verifier: seen })}\n`);
  });
  lines.on('close', () => {
    clearInterval(trim);
    void mock.close().finally(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ url: mock.url })}\n`);
}

/** The openai back-end against the mock, with a fresh call cache (every deliberation pays for its calls). */
function openaiBackend(url: string, schemes: SchemeRegistry): Backend {
  return createOpenAIBackend({
    llm: {
      baseURL: url,
      apiKey: 'bench',
      model: 'mock',
      structuredMethod: 'jsonSchema',
      timeoutMs: 10_000,
      maxRetries: 0,
      concurrency: 16,
    },
    schemes,
    cache: new MemoryCallCache(),
  });
}

/**
 * Warms the process up as a running service is: WARMUP_RUNS deliberations of every case, in parallel
 * (V8 optimises the hot functions after some hundreds of calls; until then a model call costs two to
 * three times its steady CPU). The cold figure, the process's first deliberation, is reported apart.
 */
async function warmUp(files: string[], schemes: SchemeRegistry): Promise<void> {
  for (const file of files) {
    const kase = CaseSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const mock = await spawnMock(file);
    try {
      await Promise.all(
        Array.from({ length: WARMUP_RUNS }, () =>
          deliberate(kase, { backend: openaiBackend(mock.url, schemes), schemes }),
        ),
      );
    } finally {
      mock.stop();
    }
  }
}

async function benchCase(
  file: string,
  schemes: SchemeRegistry,
  runs = CASE_RUNS,
  latencyMs = LATENCY_MS,
): Promise<Row> {
  const kase = CaseSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const mock = await spawnMock(file, latencyMs);
  try {
    const cpu: number[] = [];
    let result: DeliberationResult | undefined;
    for (let run = 0; run < runs; run++) {
      // A fresh back-end and cache a run: every run pays for its model calls.
      const backend = openaiBackend(mock.url, schemes);
      const started = process.cpuUsage();
      result = await deliberate(kase, { backend, schemes });
      const used = process.cpuUsage(started);
      cpu.push((used.user + used.system) / 1000);
      if (result.failures.length > 0) {
        throw new Error(`${kase.id}: ${result.failures.map((f) => f.error).join('; ')}`);
      }
    }
    cpu.sort((x, y) => x - y);
    return {
      name: kase.id ?? file,
      status: `${result!.status}${result!.decision ? `:${result!.decision.option}` : ''}`,
      calls: result!.usage.llmCalls,
      verifierCalls: (await mock.verifierCalls()) / runs,
      verified: result!.usage.argumentsVerified ?? 0,
      tokens: result!.usage.tokensIn + result!.usage.tokensOut,
      rounds: result!.rounds,
      path: criticalPath(result!),
      wallMs: result!.usage.wallMs,
      cpuMs: cpu[Math.floor(cpu.length / 2)],
    };
  } finally {
    mock.stop();
  }
}

/**
 * The machine's own share: the CPU of one fixed piece of work (a 6 KB request body through JSON and SHA-256,
 * twenty times) done back to back, and done once every LATENCY_MS as the model calls are. On a shared VM
 * the same work costs more after the process has slept (caches and predictors cold, the vCPU woken), so
 * the ratio says how much of the 200 ms figure is the machine rather than argmed.
 */
async function idleControl(): Promise<{ backToBack: number; spaced: number }> {
  const body = {
    messages: [
      { role: 'system', content: 'x'.repeat(3_000) },
      { role: 'user', content: 'y '.repeat(1_500) },
    ],
  };
  const work = () => {
    for (let i = 0; i < 20; i++) {
      const text = JSON.stringify(body);
      JSON.parse(text);
      createHash('sha256').update(text).digest('hex');
    }
  };
  const perItem = async (pause: () => Promise<unknown>, items: number) => {
    const started = process.cpuUsage();
    for (let i = 0; i < items; i++) {
      work();
      await pause();
    }
    const used = process.cpuUsage(started);
    return (used.user + used.system) / 1000 / items;
  };
  await perItem(() => new Promise((resolve) => setImmediate(resolve)), 300);
  const backToBack = await perItem(() => new Promise((resolve) => setImmediate(resolve)), 100);
  const spaced = await perItem(() => new Promise((resolve) => setTimeout(resolve, LATENCY_MS)), 20);
  return { backToBack, spaced };
}

async function benchEngineTime(schemes: SchemeRegistry): Promise<void> {
  const kase = CaseSchema.parse({
    question: 'Which option?',
    facts: ['a fact'],
    options: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `option ${id}` })),
  });
  const times: number[] = [];
  const cpu: number[] = [];
  let last: DeliberationResult | undefined;
  for (let i = 0; i < ENGINE_RUNS + ENGINE_WARMUP; i++) {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    last = await deliberate(kase, { backend: explodingBackend(), schemes, budgets: { maxArguments: 200 } });
    const used = process.cpuUsage(cpuStart);
    if (i >= ENGINE_WARMUP) {
      times.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  times.sort((x, y) => x - y);
  cpu.sort((x, y) => x - y);
  const at = (sorted: number[], q: number): string => sorted[Math.floor(sorted.length * q)].toFixed(2);
  console.log(
    `\nEngine time outside the model (zero-latency back-end, ${last!.graph.nodes.length} arguments, ` +
      `${last!.graph.attacks.length} attacks, ${last!.rounds} rounds, ${ENGINE_RUNS} runs after ` +
      `${ENGINE_WARMUP} warm-up):`,
  );
  const medianCpu = cpu[Math.floor(cpu.length / 2)];
  console.log(
    `  CPU time: median ${at(cpu, 0.5)} ms, p90 ${at(cpu, 0.9)} ms, min ${at(cpu, 0)} ms per case ` +
      `(target < 5 ms): ${medianCpu < 5 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  wall time: median ${at(times, 0.5)} ms, p90 ${at(times, 0.9)} ms, min ${at(times, 0)} ms per case ` +
      `(wall minus CPU is time the process waited for a core: machine load ${loadavg()[0].toFixed(1)} ` +
      `on ${availableParallelism()} cores; p90 includes the runs a young-generation collection lands in)`,
  );
  const calls = last!.usage.agentCalls;
  console.log(
    `  agent calls a case: ${calls?.verify} verify, ${calls?.counter} counter (maxArguments reached)`,
  );
}

async function main(): Promise<void> {
  const root = packageRoot();
  const schemes = await loadSchemes(join(root, 'schemes'));
  const dir = join(root, 'examples/cases');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  console.log(
    `Engine benchmark: ${files.length} example cases, openai back-end, mock server in its own process, ` +
      `${LATENCY_MS} ms a call, load ${loadavg()[0].toFixed(2)}\n`,
  );
  const header = [
    'case',
    'status',
    'calls',
    'verify/args',
    'tokens',
    'rounds',
    'path',
    'wall ms',
    'w/(r*L)',
    'w/(p*L)',
    'cpu ms',
    'cpu/call',
    'cpu/call 0 ms',
  ];
  // The process's first deliberation (cold: JIT, first connection), then a warm-up as a running service has.
  const cold = await benchCase(join(dir, files[0]), schemes, 1);
  console.log(
    `cold: the process's first deliberation (${cold.name}) cost ${cold.cpuMs.toFixed(1)} ms of CPU, ` +
      `${(cold.cpuMs / cold.calls).toFixed(2)} ms a model call; the table below is after ${WARMUP_RUNS} ` +
      `deliberations of every case (load ${loadavg()[0].toFixed(2)})\n`,
  );
  await warmUp(
    files.map((f) => join(dir, f)),
    schemes,
  );
  const rows: string[][] = [];
  const ratios: number[] = [];
  const perCall: number[] = [];
  const perCallAtZero: number[] = [];
  for (const file of files) {
    const row = await benchCase(join(dir, file), schemes);
    // The same case with a mock that answers at once: argmed's own CPU a call, without the machine's wake-ups.
    const atZero = await benchCase(join(dir, file), schemes, ZERO_LATENCY_RUNS, 0);
    const perRound = row.wallMs / (row.rounds * LATENCY_MS);
    const perStep = row.wallMs / (row.path * LATENCY_MS);
    ratios.push(perStep);
    rows.push([
      row.name,
      row.status,
      String(row.calls),
      `${row.verifierCalls}/${row.verified}`,
      String(row.tokens),
      String(row.rounds),
      String(row.path),
      row.wallMs.toFixed(0),
      perRound.toFixed(2),
      perStep.toFixed(2),
      row.cpuMs.toFixed(1),
      (row.cpuMs / row.calls).toFixed(2),
      (atZero.cpuMs / atZero.calls).toFixed(2),
    ]);
    perCall.push(row.cpuMs / row.calls);
    perCallAtZero.push(atZero.cpuMs / atZero.calls);
  }
  const control = await idleControl();
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log(
    `\nverify/args: verifier HTTP calls / arguments verified (equal: one call an argument).` +
      `\nw/(r*L): wall / (rounds x ${LATENCY_MS} ms); w/(p*L): wall / (critical-path calls x ${LATENCY_MS} ms); ` +
      `worst w/(p*L) ${Math.max(...ratios).toFixed(2)} (target <= 1.3).` +
      `\ncpu ms: argmed's CPU for the case (median of ${CASE_RUNS} runs after the warm-up, the mock's process not counted); ` +
      `cpu/call: that over the model calls, ${LATENCY_MS} ms a call: worst ${Math.max(...perCall).toFixed(2)} ms ` +
      `(target <= 2 ms: ${Math.max(...perCall) <= 2 ? 'met' : 'NOT met'}); cpu/call 0 ms: the same with a mock that ` +
      `answers at once (median of ${ZERO_LATENCY_RUNS} runs): worst ${Math.max(...perCallAtZero).toFixed(2)} ms ` +
      `(target <= 2 ms: ${Math.max(...perCallAtZero) <= 2 ? 'met' : 'NOT met'}), load ${loadavg()[0].toFixed(2)}.` +
      `\nmachine control: a fixed piece of work costs ${control.backToBack.toFixed(3)} ms of CPU back to back and ` +
      `${control.spaced.toFixed(3)} ms once every ${LATENCY_MS} ms (${(control.spaced / control.backToBack).toFixed(2)}x): ` +
      'code that runs between sleeps pays that on this machine, argmed or not.',
  );
  await benchEngineTime(schemes);
}

const argv = process.argv.slice(2);
(argv[0] === '--mock' ? serveMock(argv[1], Number(argv[2])) : main()).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
