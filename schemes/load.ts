/**
 * Loads the argumentation schemes: one YAML (or JSON) file a scheme, each validated by `SchemeSchema`, and
 * every critical question's counter-scheme checked to exist. Users add a scheme by adding a file. Any bad
 * file stops loading with an error naming the file and the zod path, so start-up fails loudly, never with a
 * half-loaded registry.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
// js-yaml (YAML 1.2 core schema) parses the shipped schemes and knowledge base in about 40 ms of CPU at start,
// the `yaml` package in about 200 ms (cold code; `npm run bench:startup`).
import { load as parseYaml } from 'js-yaml';
import { fieldIssueOf, issuesText } from './field-issues.js';
import { packageRoot } from './package-root.js';
import { type Scheme, SchemeSchema } from './types.js';

/** The loaded schemes, by id. */
export interface SchemeRegistry {
  /** The scheme with this id, or undefined. */
  get(id: string): Scheme | undefined;
  /** The scheme with this id; throws a `SchemeError` (`ARGMED_SCHEME_UNKNOWN`) when there is none. */
  require(id: string): Scheme;
  /** Every scheme, ordered by id. */
  all(): Scheme[];
  has(id: string): boolean;
}

/** Stable codes of scheme errors. */
export type SchemeErrorCode = 'ARGMED_SCHEME_INVALID' | 'ARGMED_SCHEME_UNKNOWN';

/** A scheme file that cannot be used, or a scheme id that is not loaded. The message names the file. */
export class SchemeError extends Error {
  constructor(
    readonly code: SchemeErrorCode,
    message: string,
    /** The offending file, when there is one. */
    readonly file?: string,
  ) {
    super(message);
    this.name = 'SchemeError';
  }
}

const SCHEME_FILE = /\.(ya?ml|json)$/i;

/** The `schemes/` folder shipped with the package (compiled code runs from `dist/schemes/`). */
export function defaultSchemesDir(): string {
  return path.join(packageRoot(), 'schemes');
}

/** A path as the user should see it: relative to the working directory when inside it. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

async function readScheme(file: string): Promise<Scheme> {
  const shown = displayPath(file);
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new SchemeError('ARGMED_SCHEME_INVALID', `${shown}: cannot parse: ${detail}`, shown);
  }
  const parsed = SchemeSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = issuesText(parsed.error.issues.map((issue) => fieldIssueOf(issue)));
    throw new SchemeError('ARGMED_SCHEME_INVALID', `${shown}: ${issues}`, shown);
  }
  return parsed.data;
}

/** Fails on a critical question whose counter-scheme is not loaded, naming the scheme, question and file. */
function checkCounterSchemes(schemes: Map<string, { scheme: Scheme; file: string }>): void {
  for (const { scheme, file } of schemes.values()) {
    scheme.criticalQuestions.forEach((question, index) => {
      if (schemes.has(question.counterScheme)) return;
      const shown = displayPath(file);
      throw new SchemeError(
        'ARGMED_SCHEME_INVALID',
        `${shown}: criticalQuestions/${index}/counterScheme: scheme ${scheme.id} (question "${question.id}") ` +
          `names counter-scheme "${question.counterScheme}", which no scheme file defines`,
        shown,
      );
    });
  }
}

/**
 * Loads every `*.yaml`, `*.yml` and `*.json` file of a folder as a scheme.
 * @param dir the folder; defaults to the package's own `schemes/`.
 * @returns the registry of schemes by id.
 * @throws SchemeError (`ARGMED_SCHEME_INVALID`) for an unreadable folder, an empty one, a file that is not
 *   valid YAML or violates `SchemeSchema` (`schemes/bad.yaml: criticalQuestions/0/counterScheme: ...`), two
 *   files with one id, or a counter-scheme that does not exist.
 * @example const schemes = await loadSchemes(); schemes.require('ASDM').criticalQuestions;
 */
export async function loadSchemes(dir: string = defaultSchemesDir()): Promise<SchemeRegistry> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => SCHEME_FILE.test(name)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SchemeError(
      'ARGMED_SCHEME_INVALID',
      `${displayPath(dir)}: cannot read the schemes folder (${code})`,
    );
  }
  if (names.length === 0) {
    throw new SchemeError(
      'ARGMED_SCHEME_INVALID',
      `${displayPath(dir)}: no scheme files (*.yaml, *.yml, *.json)`,
    );
  }
  const byId = new Map<string, { scheme: Scheme; file: string }>();
  for (const name of names) {
    const file = path.join(dir, name);
    const scheme = await readScheme(file);
    const previous = byId.get(scheme.id);
    if (previous) {
      const shown = displayPath(file);
      throw new SchemeError(
        'ARGMED_SCHEME_INVALID',
        `${shown}: id: scheme id "${scheme.id}" is already defined by ${displayPath(previous.file)}`,
        shown,
      );
    }
    byId.set(scheme.id, { scheme, file });
  }
  checkCounterSchemes(byId);
  return createRegistry([...byId.values()].map((entry) => entry.scheme));
}

/** A registry over already validated schemes (tests and callers holding schemes in memory). */
export function createRegistry(schemes: readonly Scheme[]): SchemeRegistry {
  const byId = new Map(schemes.map((scheme) => [scheme.id, scheme]));
  const sorted = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return {
    get: (id) => byId.get(id),
    require(id) {
      const scheme = byId.get(id);
      if (!scheme)
        throw new SchemeError('ARGMED_SCHEME_UNKNOWN', `schemes: no scheme with id "${id}" is loaded`);
      return scheme;
    },
    all: () => [...sorted],
    has: (id) => byId.has(id),
  };
}
