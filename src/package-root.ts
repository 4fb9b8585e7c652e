/**
 * The folder of argmed's package, found from this file, so the packaged data (schemes, knowledge, examples)
 * is found from `src/` under tsx and vitest and from `dist/src/` once built. Its own module, importing only
 * node, so a command that needs the folder does not load the back-ends.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding argmed's package.json and schemes; the working directory when none is found. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'schemes'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}
