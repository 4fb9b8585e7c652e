/**
 * The folder of argmed's package, found from this file, so the packaged data (schemes, knowledge, examples)
 * is found from the sources under tsx and vitest and from `dist/` once built. It lives with the schemes, the
 * lowest layer that needs it, so the agents and the application find the package the same way; it imports
 * only node, so a command that needs the folder does not load anything else.
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
