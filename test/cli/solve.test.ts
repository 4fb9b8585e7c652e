/**
 * `argmed solve` as a user runs it: the built binary in a child process, answers on stdout, problems on
 * stderr as `FILE:LINE: ...` with a non-zero exit and nothing on stdout.
 */
import { execFile, execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binary = path.join(repoRoot, 'dist/src/cli/main.js');
const examples = path.join(repoRoot, 'examples/frameworks');
let dir = '';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function solve(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binary, 'solve', ...args],
      { cwd: repoRoot, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function file(name: string, content: string | Buffer): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

/** A failure must exit non-zero, print nothing on stdout, and one located line (no stack trace) on stderr. */
function expectFailure(outcome: Outcome, pattern: RegExp): void {
  expect(outcome.code).not.toBe(0);
  expect(outcome.stdout).toBe('');
  expect(outcome.stderr).toMatch(pattern);
  expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  expect(outcome.stderr).not.toMatch(/\n\s+at /);
}

beforeAll(() => {
  if (!existsSync(binary)) execSync('npm run build', { cwd: repoRoot, stdio: 'ignore' });
  dir = mkdtempSync(path.join(tmpdir(), 'argmed-solve-'));
}, 180_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

// Each run starts the whole argmed CLI (every sub-command's imports load at start), so the runs go concurrently.
describe.concurrent('argmed solve answers', { timeout: 240_000 }, () => {
  it('solves the quick-start reinstatement example (SE-GR, ICCMA ids)', async () => {
    expect(await solve('-p', 'SE-GR', '-f', path.join(examples, 'reinstatement.af'))).toEqual({
      code: 0,
      stdout: 'w 1 3 5\n',
      stderr: '',
    });
  });

  it('prints names for APX and TGF files', async () => {
    expect((await solve('-p', 'SE-GR', '-f', path.join(examples, 'odd-cycle.apx'))).stdout).toBe('w e\n');
    expect((await solve('-p', 'SE-GR', '-f', path.join(examples, 'treatment.tgf'))).stdout).toBe(
      'w give_aspirin recent_endoscopy_clear allergy_to_clopidogrel\n',
    );
  });

  it('quotes an APX name that is not one token, so the answer line stays unambiguous', async () => {
    const af = file('quoted.apx', 'arg("a b").\narg(c).\narg("say \\"hi\\"").\natt("a b",c).\n');
    expect((await solve('-p', 'SE-GR', '-f', af)).stdout).toBe('w "a b" "say \\"hi\\""\n');
    const labels = await solve('-p', 'SE-GR', '-f', af, '--label');
    expect(labels.stdout).toContain('\nc OUT\n');
    expect(labels.stdout).toContain('"a b" IN\n');
    const explained = await solve('-p', 'SE-GR', '-f', af, '--explain', 'c');
    expect(explained.stdout).toContain('c is OUT: it is attacked by "a b", which is IN');
  });

  it('answers DC-GR and DS-GR in the ICCMA style', async () => {
    const af = path.join(examples, 'reinstatement.af');
    const outcomes = await Promise.all([
      solve('-p', 'DC-GR', '-f', af, '-a', '3'),
      solve('-p', 'DC-GR', '-f', af, '-a', '2'),
      solve('-p', 'DS-GR', '-f', af, '-a', '1'),
      solve('-p', 'DS-GR', '-f', af, '-a', '4'),
    ]);
    expect(outcomes.map((o) => o.stdout)).toEqual(['YES\nw 1 3 5\n', 'NO\n', 'YES\n', 'NO\nw 1 3 5\n']);
  });

  it('takes the format from -fo when the extension says nothing', async () => {
    const text = file('framework.txt', 'arg(x). arg(y). att(y,x).\n');
    expect((await solve('-p', 'SE-GR', '-f', text, '-fo', 'apx')).stdout).toBe('w y\n');
    expect((await solve('-p', 'SE-GR', '-f', text, '--format', 'apx')).stdout).toBe('w y\n');
    expectFailure(await solve('-p', 'SE-GR', '-f', text), /^argmed solve: cannot tell the format .*-fo/);
    expectFailure(
      await solve('-p', 'SE-GR', '-f', text, '-fo', 'xml'),
      /^argmed solve: -fo: unknown format "xml"/,
    );
  });

  it('prints the labelling and explanations', async () => {
    const tgf = path.join(examples, 'treatment.tgf');
    const labels = await solve('--label', '-f', tgf);
    expect(labels.stdout).toBe(
      'give_aspirin IN\nbleeding_risk OUT\nrecent_endoscopy_clear IN\ngive_clopidogrel OUT\nallergy_to_clopidogrel IN\n',
    );
    const explained = await solve('-p', 'SE-GR', '-f', tgf, '--explain', 'give_aspirin');
    expect(explained.stdout).toBe(
      'w give_aspirin recent_endoscopy_clear allergy_to_clopidogrel\n' +
        'give_aspirin is IN: every attacker is defeated by an IN argument (in the order the solver settled them)\n' +
        '  bleeding_risk is defeated by recent_endoscopy_clear\n' +
        '  give_clopidogrel is defeated by allergy_to_clopidogrel\n',
    );
    expect((await solve('--explain', 'bleeding_risk', '-f', tgf)).stdout).toBe(
      'bleeding_risk is OUT: it is attacked by recent_endoscopy_clear, which is IN\n',
    );
    expect((await solve('--explain', 'd', '-f', path.join(examples, 'odd-cycle.apx'))).stdout).toBe(
      'd is UNDEC: no attacker is IN, and these attackers are undecided: c\n',
    );
  });

  it('lists problems and formats', async () => {
    expect((await solve('--problems')).stdout).toBe('[SE-GR,DC-GR,DS-GR]\n');
    expect((await solve('--formats')).stdout).toBe('[i23,apx,tgf]\n');
  });
});

describe.concurrent('argmed solve on bad input', { timeout: 240_000 }, () => {
  const se = (target: string, ...rest: string[]): Promise<Outcome> =>
    solve('-p', 'SE-GR', '-f', target, ...rest);

  it('rejects a missing header', async () => {
    const f = file('no-header.af', '# nothing declared\n1 2\n');
    expectFailure(await se(f), new RegExp(`^${f}:2: attack line before the header "p af N"`));
  });

  it('rejects a repeated header', async () => {
    const f = file('two-headers.af', 'p af 2\n1 2\np af 2\n');
    expectFailure(await se(f), new RegExp(`^${f}:3: second "p af N" header`));
  });

  it('rejects an id outside 1..N', async () => {
    const f = file('range.af', 'p af 2\n1 2\n2 3\n');
    expectFailure(await se(f), new RegExp(`^${f}:3: attack "2 3" names an argument outside 1..2`));
  });

  it('rejects a non-integer token', async () => {
    const f = file('token.af', 'p af 2\n1 two\n');
    expectFailure(await se(f), new RegExp(`^${f}:2: "two" is not an argument id`));
  });

  it('rejects an attack on an undeclared APX argument', async () => {
    const f = file('undeclared.apx', 'arg(a).\natt(a,b).\n');
    expectFailure(await se(f), new RegExp(`^${f}:2: attack names "b", which is not declared`));
  });

  it('rejects a truncated line', async () => {
    const f = file('truncated.af', 'p af 3\n1 2\n3');
    expectFailure(await se(f), new RegExp(`^${f}:3: truncated attack line "3"`));
  });

  it('rejects binary garbage', async () => {
    const garbage = Buffer.alloc(4096);
    let x = 7;
    for (let i = 0; i < garbage.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      garbage[i] = x & 0xff;
    }
    const f = file('garbage.af', garbage);
    expectFailure(await se(f), new RegExp(`^${f}:1: binary data`));
    expectFailure(await se(file('garbage.apx', garbage)), /garbage\.apx:1: binary data/);
  });

  it('rejects an empty file', async () => {
    const f = file('empty.af', '');
    expectFailure(await se(f), new RegExp(`^${f}:1: empty file`));
  });

  it('rejects a file that does not exist', async () => {
    const f = path.join(dir, 'missing.af');
    expectFailure(await se(f), new RegExp(`^${f}:0: no such file`));
  });

  // Regression: `-f /dev/zero` read for ever (291 MB after 8 s); a FIFO with no writer hung at open.
  it('refuses a device, a pipe and a directory before reading them', async () => {
    expectFailure(
      await solve('-p', 'SE-GR', '-fo', 'i23', '-f', '/dev/zero'),
      /^\/dev\/zero:0: is a device, not a regular file/,
    );
    const fifo = path.join(dir, 'pipe.af');
    execSync(`mkfifo ${fifo}`);
    expectFailure(await se(fifo), new RegExp(`^${fifo}:0: is a pipe, not a regular file`));
    expectFailure(await solve('-p', 'SE-GR', '-fo', 'i23', '-f', dir), /:0: is a directory, not a file/);
  });

  it('refuses a file past the size limit before reading it', async () => {
    const f = path.join(dir, 'huge.af');
    // Sparse: 4 GiB + 1 byte of apparent size, no disk blocks.
    execSync(`truncate -s ${4 * 1024 ** 3 + 1} ${f}`);
    const started = Date.now();
    expectFailure(await se(f), new RegExp(`^${f}:0: the file is 4 GB or more; the limit is 4 GB`));
    expect(Date.now() - started).toBeLessThan(10_000);
    rmSync(f);
  });

  it('rejects an unknown problem', async () => {
    expectFailure(
      await solve('-p', 'SE-PR', '-f', path.join(examples, 'reinstatement.af')),
      /^argmed solve: -p: unknown problem "SE-PR" \(supported: SE-GR, DC-GR, DS-GR\)/,
    );
  });

  it('rejects DC and DS without -a', async () => {
    expectFailure(
      await solve('-p', 'DC-GR', '-f', path.join(examples, 'reinstatement.af')),
      /^argmed solve: -p DC-GR needs the query argument: -a ARG/,
    );
    expectFailure(await solve('-p', 'DS-GR', '-f', path.join(examples, 'reinstatement.af')), /-a ARG/);
  });

  it('rejects an unknown query argument', async () => {
    const af = path.join(examples, 'reinstatement.af');
    expectFailure(
      await solve('-p', 'DC-GR', '-f', af, '-a', '6'),
      new RegExp(`^${af}:0: -a: argument "6" is not in this framework \\(its arguments are 1..5\\)`),
    );
    const apx = path.join(examples, 'odd-cycle.apx');
    expectFailure(
      await solve('-p', 'DS-GR', '-f', apx, '-a', 'zz'),
      /odd-cycle\.apx:0: -a: argument "zz" is not in this framework/,
    );
    expectFailure(await solve('--explain', 'nope', '-f', apx), /--explain: argument "nope"/);
  });

  it('prints nothing on stdout when the error is at the very end of a large file', async () => {
    const lines = ['p af 100000'];
    for (let i = 1; i < 100_000; i++) lines.push(`${i + 1} ${i}`);
    lines.push('100001 1');
    const f = file('late-error.af', `${lines.join('\n')}\n`);
    expectFailure(await se(f), new RegExp(`^${f}:100001: attack "100001 1"`));
  });
});
