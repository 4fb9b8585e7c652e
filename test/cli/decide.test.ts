/**
 * `argmed decide` as a user runs it: the built CLI (`npm run build` first) in a child process, on the
 * example cases and on each kind of bad input.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');
const EXAMPLE = join(ROOT, 'examples/cases/oa-naproxen-with-ppi.json');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with a clean argmed environment (plus `env`), from the repository root. */
function argmed(args: string[], env: Record<string, string> = {}, cwd = ROOT): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ARGMED_')));
  return new Promise((resolve) => {
    execFile(
      'node',
      [CLI, ...args],
      { cwd, env: { ...base, ...env }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A usage error: exit 2, the expected message, and nothing that looks like a stack trace. */
function expectUsageError(run: Run, message: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(run.stdout).toBe('');
}

describe('argmed decide', { timeout: 120_000 }, () => {
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('build the CLI first: npm run build');
    dir = await mkdtemp(join(tmpdir(), 'argmed-decide-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the decision, the explanation and the graph of an example case', async () => {
    const run = await argmed(['decide', EXAMPLE]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Status: decided');
    expect(run.stdout).toContain('Decision: A (Naproxen 250 mg twice daily)');
    expect(run.stdout).toMatch(/It withstood these challenges:[\s\S]*MITIG/);
    expect(run.stdout).toMatch(/Options not chosen:\n {2}- B \(Codeine/);
    expect(run.stdout).toMatch(/Argument graph \(5 arguments, 5 attacks\)/);
  });

  it('prints the full result as JSON and the graph as DOT', async () => {
    const json = await argmed(['decide', EXAMPLE, '--format', 'json']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ status: 'decided', decision: { option: 'A' } });
    expect(result.graph.nodes).toHaveLength(5);
    const dot = await argmed(['decide', EXAMPLE, '--format', 'dot']);
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "Osteoarthritis pain/);
    expect(dot.stdout.match(/ -> /g)).toHaveLength(5);
  });

  it('takes --max-rounds and --knowledge', async () => {
    const run = await argmed(['decide', EXAMPLE, '--format', 'json', '--max-rounds', '0']);
    const result = JSON.parse(run.stdout);
    expect(
      result.graph.nodes.filter(
        (n: { agent: string; round: number }) => n.round > 0 && n.agent !== 'better-decision',
      ),
    ).toEqual([]);
    const missing = await argmed(['decide', EXAMPLE, '--knowledge', join(dir, 'no-such-kb.yaml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-kb\.yaml/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('argmed decide: bad input exits 2 with the file and field', { timeout: 120_000 }, () => {
  let dir: string;
  const file = async (name: string, content: string | Buffer): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error('build the CLI first: npm run build');
    dir = await mkdtemp(join(tmpdir(), 'argmed-decide-bad-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('rejects a missing file', async () => {
    expectUsageError(await argmed(['decide', join(dir, 'nope.json')]), /nope\.json: no such file\n$/);
  });

  // Regression: `decide /dev/zero` said only "Invalid string length" after reading until memory ran out.
  it('refuses a device, a directory and a file past 32 MB before reading them', async () => {
    expectUsageError(await argmed(['decide', '/dev/zero']), /\/dev\/zero: is a device, not a regular file/);
    expectUsageError(await argmed(['decide', dir]), /: is a directory, not a file\n$/);
    const huge = join(dir, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 33 * 1024 * 1024);
    expectUsageError(
      await argmed(['decide', huge]),
      /huge\.json: the file is 33 MB or more; the limit is 32 MB\n$/,
    );
  });

  it('rejects invalid JSON with the line and column', async () => {
    const path = await file('broken.json', '{\n  "question": "Which drug?",\n  "options": [}\n');
    expectUsageError(await argmed(['decide', path]), /broken\.json: line 3, column 15: invalid JSON/);
  });

  // Regression: past V8's snippet length the JSON error quoted the file ("...[Jane Smith"... is not valid JSON),
  // and a UTF-16 file's bytes (NULs included) were echoed: case text on stderr, which ends up in logs.
  it('never echoes the file in a JSON syntax error, however long the file or odd its bytes', async () => {
    const long = await file('long.json', '{"facts": [Jane Smith HIV positive lives at 12 Elm Street and more here]}');
    const run = await argmed(['decide', long]);
    expectUsageError(run, /long\.json: line 1, column 12: invalid JSON: Unexpected token 'J'\n$/);
    expect(run.stderr).not.toContain('Smith');
    const utf16 = await file('utf16.json', Buffer.from('\ufeff{"question": "Jane Smith?"}', 'utf16le'));
    const wide = await argmed(['decide', utf16]);
    expectUsageError(wide, /utf16\.json: line 1, column 1: invalid JSON: /);
    expect(wide.stderr).not.toMatch(/\u0000|question/);
  });

  it('rejects a case without a question, naming the field', async () => {
    const path = await file('noq.json', JSON.stringify({ facts: ['x'] }));
    expectUsageError(await argmed(['decide', path]), /noq\.json: question: missing \(required\)\n$/);
  });

  it('rejects empty options', async () => {
    const path = await file('empty.json', JSON.stringify({ question: 'q?', options: [] }));
    expectUsageError(await argmed(['decide', path]), /empty\.json: options: give at least two options/);
  });

  it('rejects duplicate option ids', async () => {
    const options = [
      { id: 'a', text: 'A' },
      { id: 'a', text: 'B' },
    ];
    const path = await file('dup.json', JSON.stringify({ question: 'q?', options }));
    expectUsageError(await argmed(['decide', path]), /dup\.json: options\/1\/id: duplicate option id "a"/);
  });

  it('rejects a 10 MB text', async () => {
    const path = await file(
      'big.json',
      JSON.stringify({ question: 'q?', facts: ['x'.repeat(10 * 1024 * 1024)] }),
    );
    expectUsageError(await argmed(['decide', path]), /big\.json: facts\/0(\/text)?: .*8000/);
  });

  it('rejects an unknown back-end', async () => {
    expectUsageError(
      await argmed(['decide', EXAMPLE, '--backend', 'oracle']),
      /--backend: unknown back-end "oracle" \(use knowledge, openai or local\)/,
    );
  });

  it('rejects openai without a base URL', async () => {
    expectUsageError(await argmed(['decide', EXAMPLE, '--backend', 'openai']), /ARGMED_LLM_BASE_URL: /);
  });

  it('takes a base URL without a key as a local server, and fails (exit 1, printed) when it is unreachable', async () => {
    const run = await argmed(['decide', EXAMPLE, '--backend', 'openai'], {
      ARGMED_LLM_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Status: failed/);
    expect(run.stdout).toMatch(/ARGMED_LLM_UNAVAILABLE/);
    expect(run.stdout).not.toMatch(/^Decision:/m);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('rejects a bad --max-rounds', async () => {
    expectUsageError(
      await argmed(['decide', EXAMPLE, '--max-rounds', 'many']),
      /--max-rounds: must be a whole number/,
    );
  });

  it('rejects a bad --format', async () => {
    expectUsageError(
      await argmed(['decide', EXAMPLE, '--format', 'xml']),
      /--format: must be text, json or dot/,
    );
  });
});

describe('argmed decide: a failed deliberation', { timeout: 120_000 }, () => {
  it('exits 1 and still explains when the deliberation fails (model endpoint down)', async () => {
    const run = await argmed(['decide', EXAMPLE, '--backend', 'openai'], {
      ARGMED_LLM_BASE_URL: 'http://127.0.0.1:9/v1',
      ARGMED_LLM_API_KEY: 'k',
      ARGMED_LLM_MAX_RETRIES: '0',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Status: failed');
    expect(run.stdout).toMatch(/The deliberation failed: the generator gave no decision argument/);
  });
});
