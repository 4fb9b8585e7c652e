#!/usr/bin/env node
/**
 * The `argmed` command line. Each sub-command lives in its own file and registers itself here.
 */
import { Command } from 'commander';
import { registerDecide } from './decide.js';
import { registerEval } from './eval.js';
import { registerServe } from './serve.js';
import { registerSolve } from './solve.js';
import { registerWorker } from './worker.js';

const program = new Command()
  .name('argmed')
  .description('Explainable clinical decision support through argumentation')
  .showHelpAfterError();

registerSolve(program);
registerDecide(program);
registerServe(program);
registerEval(program);
registerWorker(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`argmed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
