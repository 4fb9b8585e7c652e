/**
 * `argmed decide CASE.json`: deliberates over one clinical case and prints the decision, its explanation and
 * the argument graph.
 *   argmed decide CASE.json [--backend knowledge|openai] [--format text|json|dot] [--max-rounds N]
 *                           [--knowledge PATH]
 * Precedence: flags, then the case's `settings`, then the environment (src/config.ts). A bad case file or
 * flag prints `CASE.json: <field>: <what is wrong>` (or `argmed decide: <flag>: ...`) on stderr and exits 2,
 * without a stack trace. Exit 1 when the deliberation itself failed (the result is still printed).
 */
import { Command } from 'commander';
import { type Case, NewCaseSchema } from '../../agents/case.js';
import { BackendError } from '../backends.js';
import { ConfigError, loadConfig } from '../config.js';
import { fieldIssueOf, issuesText } from '../../schemes/field-issues.js';
import { toDot } from '../graph-exports/to-dot.js';
import type { DeliberationResult } from '../engine/types.js';
import { InputFileError, readInputFile } from './open-input-file.js';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** A case is a summary; anything this large is a mistake (each text field is capped far lower). */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const MAX_ISSUES_SHOWN = 10;

interface DecideFlags {
  backend?: string;
  format: string;
  maxRounds?: string;
  knowledge?: string;
}

/** A problem the user can fix, printed as one or more lines prefixed by where it is. */
class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

/**
 * Registers `decide` on the argmed program.
 * @param program the root commander program (commander 14)
 */
export function registerDecide(program: Command): void {
  const command = new Command('decide')
    .argument('<case>', 'the case file (JSON: facts, question, options; see examples/cases/)')
    .option('--backend <name>', 'reasoning back-end: knowledge (offline, default) or openai')
    .option('--format <format>', 'output format: text, json or dot', 'text')
    .option('--max-rounds <n>', 'rounds of critique after the proposals (default 8)')
    .option('--knowledge <path>', 'knowledge base for the knowledge back-end (YAML or JSON)')
    .action(async (file: string, flags: DecideFlags) => {
      process.exitCode = await runDecide(file, flags);
    });
  program.addCommand(command);
}

/** Runs one decide invocation; returns the exit status. Never throws. */
async function runDecide(file: string, flags: DecideFlags): Promise<number> {
  try {
    const maxRounds = parseMaxRounds(flags.maxRounds);
    const format = parseFormat(flags.format);
    const kase = await readCaseFile(file);
    const config = loadConfig();
    // The engine and the back-ends load only once the input is known to be good: errors answer fast.
    const [{ createBackend }, { deliberate }] = await Promise.all([
      import('../backends.js'),
      import('../engine/deliberate.js'),
    ]);
    const { backend, schemes } = await createBackend(config, {
      backend: flags.backend ?? kase.settings?.backend,
      knowledgePath: flags.knowledge,
    });
    const result = await deliberate(kase, {
      backend,
      schemes,
      budgets: maxRounds === undefined ? {} : { maxRounds },
    });
    process.stdout.write(render(result, format, kase, file));
    return result.status === 'failed' ? EXIT_FAILED : 0;
  } catch (error) {
    process.stderr.write(`${describeError(error, file).join('\n')}\n`);
    return EXIT_USAGE;
  }
}

type Format = 'text' | 'json' | 'dot';

function parseFormat(value: string): Format {
  if (value === 'text' || value === 'json' || value === 'dot') return value;
  throw new InputError([`argmed decide: --format: must be text, json or dot, got "${value}"`]);
}

function parseMaxRounds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 32) {
    throw new InputError([
      `argmed decide: --max-rounds: must be a whole number from 0 to 32, got "${value}"`,
    ]);
  }
  return n;
}

/**
 * Reads and validates a case file.
 * @throws InputError naming the file and the field (or the line and column of a JSON syntax error).
 */
async function readCaseFile(file: string): Promise<Case> {
  const fail = (message: string): never => {
    throw new InputError([`${file}: ${message}`]);
  };
  const bytes = await readInputFile(file, MAX_FILE_BYTES).catch((error: unknown) =>
    fail(error instanceof InputFileError ? error.reason : `cannot read the file (${String(error)})`),
  );
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    fail(jsonErrorMessage(text, error));
  }
  const parsed = NewCaseSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues
    .slice(0, MAX_ISSUES_SHOWN)
    .map((issue) => `${file}: ${issuesText([fieldIssueOf(issue, '(the case)')])}`);
  if (parsed.error.issues.length > MAX_ISSUES_SHOWN) {
    lines.push(`${file}: ... and ${parsed.error.issues.length - MAX_ISSUES_SHOWN} more problems`);
  }
  throw new InputError(lines);
}

/** `line L, column C: invalid JSON: <reason>`, without echoing the file's content. */
function jsonErrorMessage(text: string, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const reason = raw
    // V8 quotes up to ~10 characters either side of the error, with "..." on a side it cut: never shown.
    .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '')
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/^Unexpected end of JSON input$/, 'the file ends in the middle of the JSON');
  const position = jsonErrorPosition(text);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  // The unexpected token itself may be a control character (a UTF-16 file's NUL): shown as its code point.
  const shown = reason.replace(/[\u0000-\u001f\u007f]/g, (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return `line ${line}, column ${column}: invalid JSON: ${shown}`;
}

/**
 * Where a JSON text goes wrong: the length of its longest prefix that is still the start of some valid JSON
 * (V8 does not give a position for every error). Viable prefixes are prefix-closed, so a binary search
 * finds it in O(n log n); only run on the error path.
 */
function jsonErrorPosition(text: string): number {
  const viable = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      return /end of JSON input/.test(message) || new RegExp(`at position ${length}$`).test(message);
    }
  };
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (viable(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function describeError(error: unknown, file: string): string[] {
  if (error instanceof InputError) return error.lines;
  if (error instanceof BackendError || error instanceof ConfigError)
    return [`argmed decide: ${error.message}`];
  const message = error instanceof Error ? error.message : String(error);
  return [`argmed decide: ${file}: ${message}`];
}

function render(result: DeliberationResult, format: Format, kase: Case, file: string): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  if (format === 'dot') return toDot(result.graph, kase.title ?? kase.id ?? file);
  return renderText(result, kase, file);
}

function renderText(result: DeliberationResult, kase: Case, file: string): string {
  const lines = [
    `Case: ${kase.title ?? kase.id ?? file}`,
    `Status: ${result.status}`,
    '',
    result.explanation,
    '',
  ];
  lines.push(
    `Argument graph (${result.graph.nodes.length} arguments, ${result.graph.attacks.length} attacks):`,
  );
  for (const node of result.graph.nodes) {
    const option = node.option !== undefined ? ` [${node.option}]` : '';
    lines.push(
      `  ${node.id} ${node.label ?? '?'} ${node.scheme}${option} (round ${node.round}): ${node.text}`,
    );
    for (const attack of result.graph.attacks.filter((a) => a.to === node.id)) {
      lines.push(`      attacked by ${attack.from} [${attack.question}]`);
    }
  }
  const u = result.usage;
  lines.push(
    '',
    `Rounds: ${result.rounds}; model calls: ${u.llmCalls} (+${u.cachedCalls} cached); tokens: ${u.tokensIn} in, ` +
      `${u.tokensOut} out; ${Math.round(u.wallMs)} ms`,
  );
  if (result.failures.length > 0) {
    lines.push(`Agent failures (${result.failures.length}):`);
    for (const f of result.failures)
      lines.push(`  ${f.stage}${f.argument ? ` ${f.argument}` : ''}: ${f.error}`);
  }
  return `${lines.join('\n')}\n`;
}
