/**
 * Reproduces the evaluation figures quoted for a scripted mock model (`npm run figures:medqa-mock`):
 * argmed (openai back-end) against direct, chain of thought and self-consistency on a seeded sample of
 * MedQA items, with the evaluator model (predictability) and the faithfulness probes, all answered by the
 * scripted model of test/support/scripted-eval-model.ts served by the local mock OpenAI server. The run is
 * the real `argmed eval` command (the built CLI in a child process) on a fresh SQLite file, so nothing is
 * cached from an earlier run and the printed summary and the reports are exactly what a user gets.
 *
 * The figures follow from the script (items rotate through right, wrong, malformed and rate-limited answers;
 * the evaluator reads even items right): they check the harness end to end, not any model's quality.
 *
 *   npm run figures:medqa-mock -- [--file PATH] [--sample 20] [--seed 1] [--out reports/medqa-mock]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDataset } from '../src/eval/datasets/load-dataset.js';
import { packageRoot } from '../schemes/package-root.js';
import { startMockOpenAI } from '../test/support/mock-openai-server.js';
import { scriptFor } from '../test/support/scripted-eval-model.js';

const METHODS = 'argmed,direct,cot,self-consistency';

function options() {
  const { values } = parseArgs({
    options: {
      file: { type: 'string', default: resolve(packageRoot(), '../shared/datasets/medqa-usmle-4opt/phrases_no_exclude_test.jsonl') },
      sample: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'reports/medqa-mock' },
    },
  });
  return values;
}

/** Runs the built CLI with the given arguments and environment, passing its output through; resolves its exit code. */
function runCli(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(packageRoot(), 'dist/src/cli/main.js'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', fail);
    child.on('exit', (code) => done(code ?? 1));
  });
}

async function main(): Promise<void> {
  const flags = options();
  const slice = { sample: Number(flags.sample), seed: Number(flags.seed) };
  // The same reader and slice as the CLI, so the script knows the items the run will ask about.
  const { items } = await loadDataset('medqa', flags.file, slice);
  const mock = await startMockOpenAI({ respond: scriptFor(items) });
  const database = `sqlite:${join(mkdtempSync(join(tmpdir(), 'argmed-figures-')), 'eval.db')}`;
  try {
    const code = await runCli(
      ['eval', '--dataset', 'medqa', '--file', flags.file, '--sample', flags.sample, '--seed', flags.seed,
        '--methods', METHODS, '--backend', 'openai', '--predictability', '--faithfulness', '--local', '--out', flags.out],
      {
        DATABASE_URL: database,
        ARGMED_LLM_BASE_URL: mock.url,
        ARGMED_LLM_API_KEY: 'mock-key',
        ARGMED_LLM_MODEL: 'scripted-mock',
        ARGMED_LLM_MAX_RETRIES: '1',
      },
    );
    process.exitCode = code;
  } finally {
    await mock.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/eval-mock-figures: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
