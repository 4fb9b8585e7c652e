/** Runs `argmed serve` from the build as a child process and reads the URL it prints. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../../dist/src/cli/main.js', import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  base: string;
  output: () => string;
}

/** Whether the CLI has been built (`npm test` builds first). */
export const cliBuilt = existsSync(CLI);

/**
 * Starts `argmed serve --port 0 --no-example [...args]` with the given environment; resolves once it listens.
 */
export function startServeProcess(
  env: Record<string, string>,
  timeoutMs = 50_000,
  args: string[] = [],
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--no-example', ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`argmed serve did not start:\n${text}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = /argmed is listening on (http:\/\/\S+)/.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve({ child, base: match[1], output: () => text });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`argmed serve exited with ${code}:\n${text}`));
    });
  });
}

/** Kills a child and waits for it to be gone. */
export function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
