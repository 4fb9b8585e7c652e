/**
 * Where the shared public datasets live: `../shared/datasets` beside the repository (CI has it there too).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The repository root. */
export const REPO_ROOT = repoRoot;

/** Absolute path of a file under the shared datasets folder. */
export function sharedDataset(...parts: string[]): string {
  return resolve(repoRoot, '../shared/datasets', ...parts);
}

/** True when the shared datasets are present (they are on CI and on the team's machines). */
export const HAVE_SHARED = existsSync(sharedDataset('README.md'));
