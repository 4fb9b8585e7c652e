import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSchemesDir, loadSchemes, SchemeError } from '../../schemes/load.js';

const shipped = defaultSchemesDir();
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'argmed-schemes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Copies the shipped scheme files into the temp folder (so a test can break one of them). */
async function copyShipped(): Promise<void> {
  for (const name of ['asdm', 'asse', 'asbd', 'fact', 'evid', 'mitig', 'cite']) {
    await writeFile(
      path.join(dir, `${name}.yaml`),
      await readFile(path.join(shipped, `${name}.yaml`), 'utf8'),
    );
  }
}

async function loadError(folder: string): Promise<SchemeError> {
  const error = await loadSchemes(folder).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SchemeError);
  return error as SchemeError;
}

describe('loadSchemes', () => {
  it('loads every shipped scheme from the package folder by default', async () => {
    const schemes = await loadSchemes();
    expect(
      schemes
        .all()
        .map((s) => s.id)
        .sort(),
    ).toEqual(['ASBD', 'ASDM', 'ASSE', 'CITE', 'CLIN', 'EVID', 'FACT', 'MITIG']);
    expect(schemes.require('ASDM').yields).toBe('decision');
    expect(schemes.require('ASDM').criticalQuestions.map((q) => q.counterScheme)).toEqual([
      'FACT',
      'EVID',
      'ASSE',
      'ASBD',
    ]);
    expect(schemes.require('ASSE').criticalQuestions.map((q) => q.counterScheme)).toContain('MITIG');
    expect(schemes.has('NOPE')).toBe(false);
    expect(schemes.get('NOPE')).toBeUndefined();
    expect(() => schemes.require('NOPE')).toThrow(/no scheme with id "NOPE"/);
  });

  it('resolves every counter-scheme of every shipped scheme', async () => {
    const schemes = await loadSchemes(shipped);
    for (const scheme of schemes.all()) {
      for (const question of scheme.criticalQuestions) expect(schemes.has(question.counterScheme)).toBe(true);
    }
  });

  it('names the file and the zod path of a malformed scheme', async () => {
    await copyShipped();
    const broken = (await readFile(path.join(shipped, 'asdm.yaml'), 'utf8')).replace(
      'counterScheme: FACT',
      'counterScheme: "not an id!"',
    );
    await writeFile(path.join(dir, 'bad.yaml'), broken.replace('id: ASDM', 'id: BAD'));
    const error = await loadError(dir);
    expect(error.code).toBe('ARGMED_SCHEME_INVALID');
    expect(error.message).toMatch(/bad\.yaml: criticalQuestions\/0\/counterScheme: an identifier/);
  });

  it('rejects a question that targets an unknown premise, and unknown keys', async () => {
    await writeFile(
      path.join(dir, 'x.yaml'),
      'id: X\ntitle: t\nyields: belief\nvariables: [{name: P, description: p}]\npremises: [{id: a, text: A}]\n' +
        'conclusion: c\ncriticalQuestions: [{id: q, text: Q, targets: b, counterScheme: X}]\nextra: 1\n',
    );
    const error = await loadError(dir);
    expect(error.message).toMatch(/x\.yaml: /);
    expect(error.message).toMatch(/criticalQuestions\/0\/targets: targets "b"/);
    expect(error.message).toMatch(/extra/);
  });

  it("rejects a worked example whose variables are not the scheme's", async () => {
    await writeFile(
      path.join(dir, 'x.yaml'),
      'id: X\ntitle: t\nyields: belief\nvariables: [{name: P, description: p}, {name: Q, description: q}]\n' +
        'premises: [{id: a, text: A}]\nconclusion: c\nexample: {variables: {P: p, R: r}, text: t}\n',
    );
    const error = await loadError(dir);
    expect(error.message).toMatch(
      /x\.yaml: example\/variables: must give exactly the scheme's variables \(P, Q\); missing Q; unknown R/,
    );
  });

  it('names both the scheme and the missing counter-scheme when one dangles', async () => {
    await copyShipped();
    await rm(path.join(dir, 'mitig.yaml'));
    const error = await loadError(dir);
    expect(error.code).toBe('ARGMED_SCHEME_INVALID');
    expect(error.message).toMatch(/asse\.yaml: criticalQuestions\/2\/counterScheme: scheme ASSE/);
    expect(error.message).toMatch(/"MITIG", which no scheme file defines/);
  });

  it('rejects invalid YAML, duplicate ids and an empty folder with the file named', async () => {
    expect((await loadError(dir)).message).toMatch(/no scheme files/);
    await writeFile(path.join(dir, 'broken.yaml'), 'id: [unclosed\n');
    expect((await loadError(dir)).message).toMatch(/broken\.yaml: cannot parse/);
    await rm(path.join(dir, 'broken.yaml'));
    await copyShipped();
    await writeFile(path.join(dir, 'zz-copy.yaml'), await readFile(path.join(shipped, 'fact.yaml'), 'utf8'));
    expect((await loadError(dir)).message).toMatch(
      /zz-copy\.yaml: id: scheme id "FACT" is already defined by .*fact\.yaml/,
    );
  });

  it('fails with a clear message for a missing folder', async () => {
    expect((await loadError(path.join(dir, 'missing'))).message).toMatch(
      /cannot read the schemes folder \(ENOENT\)/,
    );
  });

  it('loads a user-added scheme next to the shipped ones', async () => {
    await copyShipped();
    await writeFile(
      path.join(dir, 'danger.yaml'),
      'id: ASDA\ntitle: Danger appeal\nyields: belief\nvariables: [{name: D, description: d}]\n' +
        'premises: [{id: danger, text: "{D} is dangerous"}]\nconclusion: "{D} should not be chosen."\n' +
        'criticalQuestions: [{id: real, text: "Is the danger real?", targets: danger, counterScheme: EVID}]\n',
    );
    const schemes = await loadSchemes(dir);
    expect(schemes.require('ASDA').criticalQuestions[0].counterScheme).toBe('EVID');
  });

  const compiled = path.join(shipped, '..', 'dist', 'schemes', 'load.js');
  it.skipIf(!existsSync(compiled))('finds the schemes folder from the compiled code in dist/', async () => {
    const script = `import(${JSON.stringify(compiled)}).then(async (m) => console.log((await m.loadSchemes()).all().length))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: tmpdir() });
    const files = readdirSync(shipped).filter((f) => f.endsWith('.yaml')).length;
    expect(stdout.trim()).toBe(String(files));
  });
});
