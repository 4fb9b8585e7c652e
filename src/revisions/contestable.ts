/**
 * Which finished cases have a graph a clinician can contest: every outcome but `failed` and a refused question (answering open
 * questions included).
 */
import { DELIBERATION_STATUSES } from '../engine/types.js';

export const CONTESTABLE: readonly string[] = DELIBERATION_STATUSES.filter(
  (status) => status !== 'failed' && status !== 'unsupported-question',
);
