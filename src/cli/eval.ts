/**
 * `argmed eval`: batch evaluation of argmed against plain-prompting baselines over a dataset.
 *   argmed eval --dataset medqa|pubmedqa|casimedicos|jsonl --file PATH
 *               [--methods argmed,direct,cot,self-consistency] [--backend knowledge|openai]
 *               [--limit N] [--offset N] [--sample N --seed S] [--concurrency 8] [--out reports/]
 *               [--resume RUN_ID] [--predictability] [--faithfulness [REPEATS]] [--sc-samples 5] [--sc-temperature 0.7] [--local]
 *   argmed eval compare RUN_A RUN_B
 *   argmed eval report RUN_ID [--out reports/]
 * Every result is stored as it finishes (DATABASE_URL); running the same command again, or with
 * --resume RUN_ID, continues where it stopped. With REDIS_URL set, items go to `argmed worker` processes
 * (unless --local). Progress goes to stderr; report paths and the summary to stdout. Exit 2 on bad input.
 */
import { Command } from 'commander';
import { BACKENDS } from '../../agents/case.js';
import { BackendError } from '../backends.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { compareRuns } from '../eval/compare.js';
import { EvaluationError } from '../eval/errors.js';
import { formatShare } from '../eval/metrics/share.js';
import type { MethodSummary } from '../eval/metrics/summarise-run.js';
import { buildReport } from '../eval/reports/build-report.js';
import { writeReports } from '../eval/reports/write-reports.js';
import { openEvalStore } from '../eval/run/open-eval-store.js';
import { prepareRun } from '../eval/run/prepare-run.js';
import { createProgressReporter } from '../eval/run/progress-reporter.js';
import { runOrEnqueue } from '../eval/run/run-or-enqueue.js';
import { DATASETS, localModelName, METHODS, type MethodName, type RunSpecInput } from '../eval/types.js';
import { UsageError } from './usage-error.js';

const EXIT_USAGE = 2;
const MAX_PROBLEMS_SHOWN = 20;

interface EvalFlags {
  dataset?: string;
  file?: string;
  methods: string;
  backend?: string;
  limit?: string;
  offset?: string;
  sample?: string;
  seed?: string;
  concurrency: string;
  out: string;
  resume?: string;
  predictability?: boolean;
  faithfulness?: boolean | string;
  scSamples: string;
  scTemperature: string;
  local?: boolean;
  queuePrefix?: string;
}


function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim()) || Number(value) < min) {
    throw new UsageError(`argmed eval: ${flag}: must be a whole number >= ${min}, got "${value}"`);
  }
  return Number(value);
}

function methodsOf(value: string): MethodName[] {
  const methods = value
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const unknown = methods.filter((m) => !(METHODS as readonly string[]).includes(m));
  if (methods.length === 0 || unknown.length > 0) {
    throw new UsageError(`argmed eval: --methods: unknown method "${unknown[0] ?? ''}"; use ${METHODS.join(', ')}`);
  }
  return [...new Set(methods)] as MethodName[];
}

function specOf(flags: EvalFlags, config: Config): RunSpecInput | undefined {
  if (flags.resume !== undefined) return undefined;
  if (!flags.dataset) throw new UsageError(`argmed eval: --dataset: required (${DATASETS.join(', ')}), or --resume RUN_ID`);
  if (!(DATASETS as readonly string[]).includes(flags.dataset)) {
    throw new UsageError(
      `argmed eval: --dataset: unknown dataset "${flags.dataset}"; use ${DATASETS.join(', ')} (medqa also reads MedMCQA and MMLU files)`,
    );
  }
  if (!flags.file) throw new UsageError('argmed eval: --file: required (the dataset file)');
  const temperature = Number(flags.scTemperature);
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) {
    throw new UsageError(`argmed eval: --sc-temperature: must be a number from 0 to 2, got "${flags.scTemperature}"`);
  }
  const backend = BACKENDS.find((name) => name === (flags.backend ?? config.backend));
  if (backend === undefined) {
    throw new UsageError(`argmed eval: --backend: must be ${BACKENDS.join(', ')}, got "${flags.backend}"`);
  }
  return {
    dataset: flags.dataset as RunSpecInput['dataset'],
    file: flags.file,
    slice: {
      offset: integer('--offset', flags.offset, 0) ?? 0,
      limit: integer('--limit', flags.limit, 1),
      sample: integer('--sample', flags.sample, 1),
      seed: integer('--seed', flags.seed, 0) ?? 42,
    },
    methods: methodsOf(flags.methods),
    backend,
    model: config.llm.model,
    localModel: localModelName(config, backend),
    selfConsistency: { k: integer('--sc-samples', flags.scSamples, 1) ?? 5, temperature },
    predictability: flags.predictability === true,
    faithfulness:
      flags.faithfulness === undefined || flags.faithfulness === false
        ? undefined
        : { repeats: flags.faithfulness === true ? 2 : (integer('--faithfulness', flags.faithfulness, 0) ?? 2), facts: 3 },
  };
}

/** The summary printed at the end: per method, the selective-prediction figures and predictability beside its null. */
function summaryText(summaries: readonly MethodSummary[]): string {
  const lines: string[] = [];
  for (const s of summaries) {
    const abstained = Object.entries(s.selective.abstentions)
      .map(([type, share]) => `${type} ${share.k}`)
      .join(', ');
    lines.push(
      `${s.method} (n = ${s.items})`,
      `  coverage              ${formatShare(s.selective.coverage)}`,
      `  accuracy on answered  ${formatShare(s.selective.accuracyAnswered)}`,
      `  accuracy on all       ${formatShare(s.selective.accuracyAll)}`,
      `  wrong answers         ${formatShare(s.selective.wrongAll)}`,
      `  abstentions           ${abstained || 'none'}`,
      `  predictability        evaluator ${s.predictability.model ? formatShare(s.predictability.model) : 'not measured'}; null ${formatShare(s.predictability.null)}`,
      ...(s.faithfulness
        ? [
            `  justification         sufficient ${formatShare(s.faithfulness.sufficient)}; redundant arguments ${formatShare(s.faithfulness.redundant)}`,
            `  stability             decision ${formatShare(s.faithfulness.stableDecision)}; justification ${formatShare(s.faithfulness.stableJustification)}`,
            `  counterfactual facts  cited matter ${formatShare(s.faithfulness.citedFactsMatter)}; uncited do not ${formatShare(s.faithfulness.uncitedFactsDoNot)}`,
          ]
        : []),
      `  tokens in/out         ${s.cost.tokensIn}/${s.cost.tokensOut}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function describeError(error: unknown): string {
  if (error instanceof UsageError || error instanceof EvaluationError || error instanceof ConfigError) return error.message;
  if (error instanceof BackendError) return `argmed eval: ${error.message}`;
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string' && typeof e.message === 'string') return `argmed eval: ${e.message} (${e.code})`;
  return `argmed eval: ${error instanceof Error ? error.message : String(error)}`;
}

async function runEval(flags: EvalFlags): Promise<number> {
  const config = loadConfig();
  const concurrency = integer('--concurrency', flags.concurrency, 1)!;
  const input = specOf(flags, config);
  const store = await openEvalStore(config);
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const run = await prepareRun(store.db, input, flags.resume);
    for (const p of run.problems.slice(0, MAX_PROBLEMS_SHOWN)) {
      process.stderr.write(`${run.spec.file}:${p.line}: skipped: ${p.message}\n`);
    }
    if (run.problems.length > MAX_PROBLEMS_SHOWN) {
      process.stderr.write(`... and ${run.problems.length - MAX_PROBLEMS_SHOWN} more malformed records skipped\n`);
    }
    process.stderr.write(
      `run ${run.runId}: ${run.items.length} items x ${run.spec.methods.length} methods${run.resumed ? ' (resuming)' : ''}\n`,
    );
    const reporter = createProgressReporter(process.stderr);
    const redisUrl = flags.local ? undefined : config.redisUrl;
    const progress = await runOrEnqueue(config, store.db, run, {
      concurrency,
      redisUrl,
      queuePrefix: flags.queuePrefix,
      onProgress: (p) => reporter.update(p),
      onEnqueued: (n) => process.stderr.write(`${n} items queued on Redis; they run on \`argmed worker\` processes\n`),
      signal: controller.signal,
    });
    reporter.finish(progress);
    if (controller.signal.aborted) {
      process.stderr.write(`interrupted; continue with: argmed eval --resume ${run.runId}\n`);
      return 130;
    }
    const report = await buildReport(store.db, run.runId);
    const paths = await writeReports(report, flags.out, config.publicUrl ?? '');
    process.stdout.write(summaryText(report.summaries));
    process.stdout.write(`run ${run.runId}\nreport ${paths.html}\njson ${paths.json}\ncsv ${paths.csv}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}

async function runCompare(a: string, b: string): Promise<number> {
  const store = await openEvalStore(loadConfig());
  try {
    process.stdout.write(compareRuns(await buildReport(store.db, a), await buildReport(store.db, b)));
    return 0;
  } finally {
    await store.close();
  }
}

async function runReport(runId: string, out: string): Promise<number> {
  const config = loadConfig();
  const store = await openEvalStore(config);
  try {
    const report = await buildReport(store.db, runId);
    const paths = await writeReports(report, out, config.publicUrl ?? '');
    process.stdout.write(summaryText(report.summaries));
    process.stdout.write(`report ${paths.html}\njson ${paths.json}\ncsv ${paths.csv}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Runs a command body; prints a readable error (no stack) and sets the exit code. */
function guarded(body: () => Promise<number>): Promise<void> {
  return body().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${describeError(error)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}

/**
 * Registers `eval` (with its `compare` and `report` sub-commands) on the argmed program.
 * @param program the root commander program (commander 14)
 */
export function registerEval(program: Command): void {
  const command = new Command('eval')
    .option('--dataset <name>', `dataset format: ${DATASETS.join(', ')}`)
    .option('--file <path>', 'the dataset file (e.g. ../shared/datasets/medqa-usmle-4opt/phrases_no_exclude_test.jsonl)')
    .option('--methods <list>', `comma-separated: ${METHODS.join(', ')}`, 'argmed,direct,cot')
    .option('--backend <name>', 'back-end of the argmed method: knowledge, openai or local (default ARGMED_BACKEND)')
    .option('--limit <n>', 'at most this many items')
    .option('--offset <n>', 'skip this many items first')
    .option('--sample <n>', 'a seeded random sample of this many items (as the paper\'s 300)')
    .option('--seed <s>', 'seed of --sample', '42')
    .option('--concurrency <n>', 'items in flight at once', '8')
    .option('--out <dir>', 'folder for the JSON, CSV and HTML reports', 'reports')
    .option('--resume <run>', 'continue a stored run (its own settings are used)')
    .option('--predictability', 'ask the evaluator model to predict each decision from its explanation')
    .option('--faithfulness [repeats]', 'probe argmed: repeat runs (default 2), reversed and paraphrased facts, deleted cited/uncited facts')
    .option('--sc-samples <k>', 'self-consistency: samples per item', '5')
    .option('--sc-temperature <t>', 'self-consistency: sampling temperature', '0.7')
    .option('--local', 'run in this process even when REDIS_URL is set')
    .option('--queue-prefix <prefix>', 'Redis key prefix of the work queue', 'argmed')
    .action((flags: EvalFlags) => guarded(() => runEval(flags)));
  command
    .command('compare')
    .description('Print the differences between two stored runs')
    .argument('<runA>')
    .argument('<runB>')
    .action((a: string, b: string) => guarded(() => runCompare(a, b)));
  command
    .command('report')
    .description('Write the reports of a stored run again, into --out DIR (default reports)')
    .argument('<run>')
    // `--out` is the parent's option (commander gives an option both commands define to the parent).
    .action((runId: string, _flags: unknown, report: Command) => guarded(() => runReport(runId, (report.optsWithGlobals() as EvalFlags).out)));
  program.addCommand(command);
}
