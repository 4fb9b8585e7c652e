/**
 * The package as a user gets it: `npm pack`, installed into an empty folder, then the installed `argmed`
 * binary prints its version and `argmed serve` answers and draws the example case's graph page with its
 * assets. Dependencies come from the npm cache (or the registry) as for any user; only better-sqlite3's
 * native build is copied from this checkout, because building it from source takes minutes on two cores
 * and its prebuilt binary is downloaded from outside the npm registry.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBuilt, kill } from '../api/support/serve-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe.skipIf(!cliBuilt)('the packed package', () => {
  const work = mkdtempSync(join(tmpdir(), 'argmed-pack-'));
  const app = join(work, 'app');
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs into an empty folder, prints its version, serves and draws a case page', async () => {
    const packed = execFileSync(NPM, ['pack', '--silent', '--pack-destination', work], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const tarball = join(work, packed.trim().split('\n').pop() as string);
    expect(existsSync(tarball)).toBe(true);

    writeFileSync(join(work, 'package.json'), '{}');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'try-argmed', private: true }));
    execFileSync(
      NPM,
      [
        'install',
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        tarball,
      ],
      { cwd: app, stdio: 'pipe', timeout: 240_000 },
    );
    const installed = join(app, 'node_modules', 'argmed');
    expect(existsSync(join(installed, 'src', 'view', 'assets', 'view.js'))).toBe(true);
    expect(readdirSync(installed)).not.toContain('test');
    cpSync(
      join(ROOT, 'node_modules', 'better-sqlite3', 'build'),
      join(app, 'node_modules', 'better-sqlite3', 'build'),
      { recursive: true },
    );

    const bin = join(app, 'node_modules', '.bin', 'argmed');
    const version = execFileSync(bin, ['--version'], { cwd: app, encoding: 'utf8' }).trim();
    expect(version).toBe(
      JSON.parse(execFileSync(NPM, ['pkg', 'get', 'version'], { cwd: ROOT, encoding: 'utf8' })),
    );

    const child = spawn(bin, ['serve', '--port', '0'], {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'warn',
        DATABASE_URL: `sqlite:${join(app, 'argmed.db')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const pageUrl = await new Promise<string>((resolve, reject) => {
        let text = '';
        const timer = setTimeout(
          () => reject(new Error(`argmed serve printed no example page:\n${text}`)),
          60_000,
        );
        const onData = (chunk: Buffer) => {
          text += chunk.toString();
          const match = /example case: (http:\/\/\S+)/.exec(text);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', (code) => reject(new Error(`argmed serve exited with ${code}:\n${text}`)));
      });
      const page = await fetch(pageUrl);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<script');
      const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const src of scripts) {
        const asset = await fetch(new URL(src, pageUrl));
        expect(asset.status, src).toBe(200);
        expect((await asset.arrayBuffer()).byteLength, src).toBeGreaterThan(100);
      }
    } finally {
      await kill(child);
    }
  }, 300_000);
});
