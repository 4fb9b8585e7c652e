/**
 * The command line loads only what a command needs: the overview (`argmed --help`, a typo) imports no
 * command module, and each command imports its own. Checked on the built binary with a module hook that
 * lists every URL the process resolves (the start-up figures themselves are in `npm run bench:startup`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binary = path.join(repoRoot, 'dist/src/cli/main.js');
let dir = '';
let hook = '';

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'argmed-cli-main-'));
  // Registers a resolve hook (it runs on the hooks thread) that appends every resolved URL to TRACE_FILE.
  const resolver = [
    "import { appendFileSync } from 'node:fs';",
    'export async function resolve(specifier, context, next) {',
    '  const result = await next(specifier, context);',
    "  appendFileSync(process.env.TRACE_FILE, result.url + '\\n');",
    '  return result;',
    '}',
  ].join('\n');
  writeFileSync(path.join(dir, 'resolver.mjs'), resolver);
  hook = path.join(dir, 'hook.mjs');
  writeFileSync(
    hook,
    `import { register } from 'node:module';\nregister(${JSON.stringify(`file://${path.join(dir, 'resolver.mjs')}`)});\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI; its exit code, stdout and the URLs it resolved. */
function run(args: string[], name: string): Promise<{ code: number; stdout: string; loaded: string[] }> {
  const trace = path.join(dir, `${name}.trace`);
  writeFileSync(trace, '');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', hook, binary, ...args],
      { cwd: repoRoot, timeout: 60_000, env: { ...process.env, TRACE_FILE: trace } },
      (error, stdout) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, loaded: readFileSync(trace, 'utf8').split('\n').filter(Boolean) });
      },
    );
  });
}

const HEAVY = /\/node_modules\/(fastify|@langchain|kysely|bullmq|better-sqlite3|pg|zod)\//;
const commandModules = (loaded: string[]) =>
  loaded
    .filter((url) => /\/src\/cli\/(solve|decide|serve|eval|worker)\.js$/.test(url))
    .map((u) => path.basename(u));

describe('argmed loads only what a command needs', () => {
  it('--help lists every command without importing any', async () => {
    const { code, stdout, loaded } = await run(['--help'], 'help');
    expect(code).toBe(0);
    for (const name of ['solve [options]', 'decide [options] <case>', 'serve', 'eval', 'worker']) {
      expect(stdout).toContain(name);
    }
    expect(stdout).toContain('Deliberate over a clinical case');
    expect(loaded.some((url) => url.endsWith('/src/cli/main.js'))).toBe(true);
    expect(commandModules(loaded)).toEqual([]);
    expect(loaded.filter((url) => HEAVY.test(url))).toEqual([]);
  });

  it('solve imports the solver and nothing of the service', async () => {
    const file = path.join(dir, 'two.af');
    writeFileSync(file, 'p af 2\n1 2\n');
    const { code, stdout, loaded } = await run(['solve', '-p', 'SE-GR', '-f', file], 'solve');
    expect(code).toBe(0);
    expect(stdout).toBe('w 1\n');
    expect(commandModules(loaded)).toEqual(['solve.js']);
    expect(loaded.some((url) => url.includes('/solver/semantics/grounded.js'))).toBe(true);
    expect(loaded.filter((url) => HEAVY.test(url))).toEqual([]);
  });

  it('a command’s own help carries its summary; a typo gets a suggestion and exit 1', async () => {
    const help = await run(['help', 'decide'], 'help-decide');
    expect(help.stdout).toContain('Usage: argmed decide [options] <case>');
    expect(help.stdout).toContain('Deliberate over a clinical case');
    expect(commandModules(help.loaded)).toEqual(['decide.js']);
    const typo = await run(['slove'], 'typo');
    expect(typo.code).toBe(1);
    expect(commandModules(typo.loaded)).toEqual([]);
  });
});
