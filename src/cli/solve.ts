/**
 * `argmed solve`: the grounded-semantics solver behind the ICCMA solver interface.
 *   argmed solve -p SE-GR|DC-GR|DS-GR -f FILE [-fo i23|apx|tgf] [-a ARG] [--label] [--explain ARG]
 *   argmed solve --problems | --formats
 * The whole answer is computed before anything is printed, so a failure never leaves a partial answer on
 * stdout; problems go to stderr as `FILE:LINE: what is wrong` (file problems) or `argmed solve: ...`
 * (usage problems), with a non-zero exit status.
 */
import { Command } from 'commander';
import {
  defeaterOf,
  type Framework,
  type GroundedLabelling,
  groundedLabelling,
  inferFormat,
  isCredulouslyAccepted,
  isReadableFormat,
  isScepticallyAccepted,
  justification,
  LABEL_IN,
  LABEL_NAMES,
  type Problem,
  type ReadableFormat,
  readFramework,
  SolverError,
  SolverFormatError,
  undecidedAttackers,
} from '../../solver/index.js';
import { fileChunks } from './file-chunks.js';
import { InputFileError, openInputFile } from './open-input-file.js';
import { UsageError } from './usage-error.js';

const PROBLEMS: readonly Problem[] = ['SE-GR', 'DC-GR', 'DS-GR'];
const FORMATS: readonly ReadableFormat[] = ['i23', 'apx', 'tgf'];
const EXIT_INPUT = 1;
const EXIT_USAGE = 2;
/**
 * The largest framework file read: 4 GiB holds a billion ICCMA attack lines, past what the solver's arrays
 * (and this machine class's memory) take; anything larger, or endless (a device), is refused before reading.
 */
const MAX_FRAMEWORK_BYTES = 4 * 1024 ** 3;

interface SolveOptions {
  problem?: string;
  file?: string;
  format?: string;
  argument?: string;
  label?: boolean;
  explain?: string;
  problems?: boolean;
  formats?: boolean;
}


/** Commander allows only one-letter short flags; the ICCMA interface spells the format flag `-fo`. */
class SolveCommand extends Command {
  override parseOptions(args: string[]): { operands: string[]; unknown: string[] } {
    return super.parseOptions(args.map((arg) => (arg === '-fo' ? '--format' : arg)));
  }
}

/**
 * Registers `solve` on the argmed program.
 * @param program the root commander program (commander 14)
 */
export function registerSolve(program: Command): void {
  const command = new SolveCommand('solve')
    .option('-p, --problem <problem>', `problem to solve: ${PROBLEMS.join(', ')}`)
    .option('-f, --file <file>', 'framework file')
    .option(
      '--fo, --format <format>',
      `file format (${FORMATS.join(', ')}; also -fo); default from the extension`,
    )
    .option('-a, --argument <arg>', 'query argument for DC-GR and DS-GR (an id for i23, a name for apx/tgf)')
    .option('--label', 'print the label (IN, OUT, UNDEC) of every argument')
    .option('--explain <arg>', 'explain the label of one argument (justification of an IN argument)')
    .option('--problems', 'list the supported problems')
    .option('--formats', 'list the supported file formats')
    .action(async (options: SolveOptions) => {
      process.exitCode = await runSolve(options);
    });
  program.addCommand(command);
}

/** Runs one solve invocation; returns the exit status. Never throws. */
async function runSolve(options: SolveOptions): Promise<number> {
  try {
    const output = await answer(options);
    await write(output);
    return 0;
  } catch (error) {
    if (error instanceof SolverFormatError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_INPUT;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`argmed solve: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `argmed solve: ${error instanceof SolverError ? '' : 'internal error: '}${message}\n`,
    );
    return EXIT_INPUT;
  }
}

/** Computes the whole output text for the options, reading the file once. */
async function answer(options: SolveOptions): Promise<string> {
  if (options.problems) return `[${PROBLEMS.join(',')}]\n`;
  if (options.formats) return `[${FORMATS.join(',')}]\n`;
  const problem = options.problem;
  if (problem !== undefined && !(PROBLEMS as readonly string[]).includes(problem)) {
    throw new UsageError(
      `-p: unknown problem ${JSON.stringify(problem)} (supported: ${PROBLEMS.join(', ')})`,
    );
  }
  if (problem === undefined && !options.label && options.explain === undefined) {
    throw new UsageError(`missing -p PROBLEM (one of ${PROBLEMS.join(', ')}), --label or --explain ARG`);
  }
  if ((problem === 'DC-GR' || problem === 'DS-GR') && options.argument === undefined) {
    throw new UsageError(`-p ${problem} needs the query argument: -a ARG`);
  }
  if (options.file === undefined) throw new UsageError('missing -f FILE');
  const file = options.file;
  const format = options.format ?? inferFormat(file);
  if (format === undefined) {
    throw new UsageError(
      `cannot tell the format of ${JSON.stringify(file)} from its extension; give -fo i23|apx|tgf`,
    );
  }
  if (!isReadableFormat(format)) {
    throw new UsageError(`-fo: unknown format ${JSON.stringify(format)} (supported: ${FORMATS.join(', ')})`);
  }
  const af = await readFile(file, format);
  const labelling = groundedLabelling(af);
  const parts: string[] = [];
  if (problem === 'SE-GR') parts.push(witness(af, labelling));
  if (problem === 'DC-GR' || problem === 'DS-GR') {
    const arg = lookup(af, file, options.argument!, '-a');
    const accepted =
      problem === 'DC-GR'
        ? isCredulouslyAccepted(af, labelling, arg)
        : isScepticallyAccepted(af, labelling, arg);
    // ICCMA: DC answers YES with a witness extension, DS answers NO with a counter-example extension.
    if (problem === 'DC-GR') parts.push(accepted ? `YES\n${witness(af, labelling)}` : 'NO\n');
    else parts.push(accepted ? 'YES\n' : `NO\n${witness(af, labelling)}`);
  }
  if (options.label) parts.push(labelLines(af, labelling));
  if (options.explain !== undefined)
    parts.push(explanation(af, labelling, lookup(af, file, options.explain, '--explain')));
  return parts.join('');
}

/**
 * Opens and streams a framework file; a missing, unreadable, non-regular or too large file is a
 * SolverFormatError at line 0.
 */
async function readFile(file: string, format: ReadableFormat): Promise<Framework> {
  const refused = (error: unknown): never => {
    if (error instanceof InputFileError)
      throw new SolverFormatError('SOLVER_FILE_NOT_FOUND', file, 0, error.reason);
    throw error;
  };
  const { handle, size } = await openInputFile(file, MAX_FRAMEWORK_BYTES).catch(refused);
  try {
    return await readFramework(fileChunks(handle, MAX_FRAMEWORK_BYTES), format, file, { sizeHint: size }).catch(
      refused,
    );
  } finally {
    await handle.close();
  }
}

/** Resolves a query argument: an id 1..N for ICCMA files, a name for APX and TGF. */
function lookup(af: Framework, file: string, name: string, flag: string): number {
  const id = af.idOf(name);
  if (id === undefined) {
    const known = af.numericNames ? `its arguments are 1..${af.count}` : `it has ${af.count} named arguments`;
    throw new SolverFormatError(
      'SOLVER_UNDECLARED_ARGUMENT',
      file,
      0,
      `${flag}: argument ${JSON.stringify(name)} is not in this framework (${known})`,
    );
  }
  return id;
}

// An APX name may be a quoted string with spaces ("a b"): printed bare, `w a b` would read as two arguments.
// A name that is not one token is printed quoted as APX writes it (`"` and `\` escaped); others stay bare.
const PLAIN_NAME = /^[^\s"\\]+$/;

/** An argument's name as the answer lines print it: bare when it is one token, else quoted. */
function shownName(af: Framework, arg: number): string {
  const name = af.nameOf(arg);
  if (af.numericNames) return name;
  return PLAIN_NAME.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
}

/** The ICCMA `w` line: the grounded extension in id order. */
function witness(af: Framework, labelling: GroundedLabelling): string {
  const labels = labelling.labels;
  const parts: string[] = ['w'];
  for (let a = 0; a < af.count; a++) if (labels[a] === LABEL_IN) parts.push(shownName(af, a));
  return `${parts.join(' ')}\n`;
}

function labelLines(af: Framework, labelling: GroundedLabelling): string {
  const lines: string[] = [];
  for (let a = 0; a < af.count; a++) lines.push(`${shownName(af, a)} ${LABEL_NAMES[labelling.labels[a]]}\n`);
  return lines.join('');
}

/** Plain-text explanation of one argument's label. */
function explanation(af: Framework, labelling: GroundedLabelling, arg: number): string {
  const name = shownName(af, arg);
  const label = labelling.label(arg);
  if (label === 'OUT')
    return `${name} is OUT: it is attacked by ${shownName(af, defeaterOf(af, labelling, arg)!)}, which is IN\n`;
  if (label === 'UNDEC') {
    const undecided = undecidedAttackers(af, labelling, arg).map((b) => shownName(af, b));
    return `${name} is UNDEC: no attacker is IN, and these attackers are undecided: ${undecided.join(' ')}\n`;
  }
  const steps = justification(af, labelling, arg);
  if (steps.length === 0) return `${name} is IN: nothing attacks it\n`;
  const lines = [
    `${name} is IN: every attacker is defeated by an IN argument (in the order the solver settled them)`,
  ];
  for (const { attacker, defeater } of steps)
    lines.push(`  ${shownName(af, attacker)} is defeated by ${shownName(af, defeater)}`);
  return `${lines.join('\n')}\n`;
}

/** Writes the answer to stdout and resolves once it is flushed. */
function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
