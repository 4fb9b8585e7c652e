/**
 * The coordinator's wait when items run on workers: polls the run's stored results until every item ×
 * method has one (or the signal aborts), reporting progress on the way.
 */
import type { Db } from '../../store/database.js';
import { setRunStatus } from '../../store/eval-runs.repository.js';
import { readProgress } from './read-progress.js';
import type { RunProgress } from '../types.js';

export interface WaitOptions {
  total: number;
  pollMs?: number;
  onProgress?: (progress: RunProgress) => void;
  signal?: AbortSignal;
}

/** @returns the final progress (`done` status once complete; as far as it got when aborted). */
export async function waitForRun(db: Db, runId: string, options: WaitOptions): Promise<RunProgress> {
  for (;;) {
    // The run is running until this loop marks it done: no need to read its row every poll.
    const progress = await readProgress(db, runId, options.total, 'running');
    options.onProgress?.(progress);
    if (progress.done + progress.failed >= options.total) {
      await setRunStatus(db, runId, 'done');
      return { ...progress, status: 'done' };
    }
    if (options.signal?.aborted) return progress;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
