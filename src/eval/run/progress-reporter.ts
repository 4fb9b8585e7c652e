/**
 * Shows a run's progress on stderr: a redrawn bar on a terminal (done, failed, accuracy so far, tokens,
 * ETA), plain lines otherwise (at most one every `intervalMs`, and the last one). Never prints case text.
 */
import type { RunProgress } from '../types.js';

export interface ProgressReporter {
  update(progress: RunProgress): void;
  /** Prints the final state and ends the bar's line. */
  finish(progress: RunProgress): void;
}

function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function formatTokens(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n);
}

/** One line describing the progress (also used by plain output and the API). */
export function progressLine(p: RunProgress, etaMs?: number): string {
  const finished = p.done + p.failed;
  const accuracy = finished === 0 ? '-' : `${((100 * p.correct) / finished).toFixed(1)}%`;
  const eta = etaMs === undefined ? '' : ` eta ${formatDuration(etaMs)}`;
  return `${finished}/${p.total} done, ${p.failed} failed, accuracy ${accuracy}, tokens ${formatTokens(p.tokensIn)} in / ${formatTokens(p.tokensOut)} out${eta}`;
}

/**
 * @param stream where to write (stderr); a TTY gets the redrawn bar
 * @param intervalMs plain mode: least time between two lines
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  { intervalMs = 2000, now = () => Date.now() } = {},
): ProgressReporter {
  const tty = stream.isTTY === true;
  const started = now();
  let firstFinished: number | undefined;
  let lastLine = 0;

  function eta(p: RunProgress): number | undefined {
    const finished = p.done + p.failed;
    firstFinished ??= finished;
    const thisSession = finished - firstFinished;
    if (thisSession <= 0) return undefined;
    return ((now() - started) / thisSession) * (p.total - finished);
  }

  function bar(p: RunProgress): string {
    const width = 24;
    const share = p.total === 0 ? 1 : (p.done + p.failed) / p.total;
    const filled = Math.round(share * width);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progressLine(p, eta(p))}`;
  }

  return {
    update(p) {
      if (tty) {
        stream.write(`\r\u001b[2K${bar(p)}`);
        return;
      }
      const t = now();
      const line = progressLine(p, eta(p));
      if (t - lastLine >= intervalMs) {
        stream.write(`progress: ${line}\n`);
        lastLine = t;
      }
    },
    finish(p) {
      if (tty) stream.write(`\r\u001b[2K${bar(p)}\n`);
      else stream.write(`progress: ${progressLine(p)}\n`);
    },
  };
}
