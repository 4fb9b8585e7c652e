#!/usr/bin/env node
/**
 * The `argmed` command line. Each sub-command lives in its own file and registers itself here.
 *
 * Sub-commands are loaded lazily: `argmed solve` must not pay for fastify, langchain, kysely and bullmq
 * (about two seconds of start-up), so only the named command's module is imported. Without a known
 * command name (`argmed --help`, a typo) every command is loaded so the help lists them all.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

type Register = (program: Command) => void;

const COMMANDS: Record<string, () => Promise<Register>> = {
  solve: async () => (await import('./solve.js')).registerSolve,
  decide: async () => (await import('./decide.js')).registerDecide,
  serve: async () => (await import('./serve.js')).registerServe,
  eval: async () => (await import('./eval.js')).registerEval,
  worker: async () => (await import('./worker.js')).registerWorker,
};

/** Flags that need no sub-command: answered without importing any. */
const VERSION_FLAGS = new Set(['-V', '--version']);

/** The version of the installed package (package.json sits two folders above dist/src/cli and src/cli). */
function packageVersion(): string {
  for (const path of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'argmed' && pkg.version) return pkg.version;
    } catch {
      // Not at this level: try the next.
    }
  }
  return 'unknown';
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('argmed')
    .description('Explainable clinical decision support through argumentation')
    .version(packageVersion(), '-V, --version', 'print the version of argmed')
    .showHelpAfterError();
  const named = argv[2];
  const selected = VERSION_FLAGS.has(named ?? '')
    ? []
    : named !== undefined && named in COMMANDS
      ? [named]
      : Object.keys(COMMANDS);
  for (const name of selected) (await COMMANDS[name]())(program);
  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`argmed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
