#!/usr/bin/env node
/**
 * The `argmed` command line. Each sub-command lives in its own file and registers itself here.
 *
 * Sub-commands are loaded lazily: a command pays only for its own modules (`argmed solve` must not load
 * fastify, langchain, kysely and bullmq, about a second of CPU), so only the named command's module is
 * imported. The overview (`argmed --help`, no command, a typo) imports none: it lists the names, usages
 * and summaries below, and commander suggests the nearest name for a typo. `npm run bench:startup`
 * measures both against `node -e 0`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Help } from 'commander';
import { packageRoot } from '../../schemes/package-root.js';

type Register = (program: Command) => void;

interface CommandEntry {
  /** What the overview shows after the name (the command's own help derives it from its options). */
  usage: string;
  /** The one-line description, in the overview and in the command's own help. */
  summary: string;
  load: () => Promise<Register>;
}

const COMMANDS: Record<string, CommandEntry> = {
  solve: {
    usage: '[options]',
    summary: 'Solve an abstract argumentation framework under grounded semantics (ICCMA solver interface)',
    load: async () => (await import('./solve.js')).registerSolve,
  },
  decide: {
    usage: '[options] <case>',
    summary: 'Deliberate over a clinical case (JSON) and print the decision, its explanation and the graph',
    load: async () => (await import('./decide.js')).registerDecide,
  },
  serve: {
    usage: '[options]',
    summary: 'Start the HTTP service (REST API, docs at /docs, graph pages, metrics)',
    load: async () => (await import('./serve.js')).registerServe,
  },
  eval: {
    usage: '[options]',
    summary: 'Evaluate argmed and plain-prompting baselines over a dataset (resumable)',
    load: async () => (await import('./eval.js')).registerEval,
  },
  worker: {
    usage: '[options]',
    summary:
      'Process evaluation items and service cases from the Redis queue (REDIS_URL) into the shared database',
    load: async () => (await import('./worker.js')).registerWorker,
  },
};

/** Flags that need no sub-command: answered without importing any. */
const VERSION_FLAGS = new Set(['-V', '--version']);

/** The version of the installed package. */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      name?: string;
      version?: string;
    };
    if (pkg.name === 'argmed' && pkg.version) return pkg.version;
  } catch {
    // No readable package.json: the version is unknown.
  }
  return 'unknown';
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('argmed')
    .description('Explainable clinical decision support through argumentation')
    .version(packageVersion(), '-V, --version', 'print the version of argmed')
    .showHelpAfterError();
  // `argmed help solve` is `argmed solve --help`.
  const named = argv[2] === 'help' ? argv[3] : argv[2];
  if (named !== undefined && Object.hasOwn(COMMANDS, named)) {
    (await COMMANDS[named].load())(program);
  } else if (!VERSION_FLAGS.has(named ?? '')) {
    for (const name of Object.keys(COMMANDS)) program.command(name);
    program.configureHelp({
      subcommandTerm: (command) =>
        Object.hasOwn(COMMANDS, command.name())
          ? `${command.name()} ${COMMANDS[command.name()].usage}`
          : new Help().subcommandTerm(command),
    });
  }
  for (const command of program.commands) {
    if (Object.hasOwn(COMMANDS, command.name())) command.description(COMMANDS[command.name()].summary);
  }
  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`argmed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
