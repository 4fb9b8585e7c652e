/**
 * Every migration, by name. Names are timestamps, so they sort in the order they were written; Kysely
 * runs the pending ones in that order. To add one: a new file here and one line below.
 */
import type { Migration } from 'kysely';
import * as initial from './20261125T133000-initial.js';
import * as evaluations from './20261125T140000-evaluations.js';
import * as caseRevisions from './20261203T223000-case-revisions.js';
import * as evalRatings from './20261203T233000-eval-ratings.js';

export const migrations: Record<string, Migration> = {
  '20261125T133000-initial': initial,
  '20261125T140000-evaluations': evaluations,
  '20261203T223000-case-revisions': caseRevisions,
  '20261203T233000-eval-ratings': evalRatings,
};
