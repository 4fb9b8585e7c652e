/** The error table: every code documented, every status and type consistent. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemType } from '../../src/http/problem.js';
import { PROBLEMS } from '../../src/http/problem-codes.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

describe('problem codes', () => {
  it.each(Object.entries(PROBLEMS))(
    '%s is documented in docs/errors.md with its status and type',
    (code, entry) => {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
      expect(row).toContain(`| ${entry.status} |`);
      expect(row).toContain(`\`${entry.slug}\``);
    },
  );

  it('every code documented exists, and type URIs are unique', () => {
    const documented = [...doc.matchAll(/^\| `(ARGMED_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(PROBLEMS).sort());
    const types = Object.keys(PROBLEMS).map((code) => problemType(code as keyof typeof PROBLEMS));
    expect(new Set(types).size).toBe(types.length);
  });
});
