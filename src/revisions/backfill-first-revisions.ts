/**
 * The migration path of revision 1 for cases finished before it was stored with the result: a version that
 * stored it on the first read of a case's revisions (or not at all) left finished cases without one. At
 * start, after the schema migrations, each such case gets its revision 1 from its stored result and graph,
 * dated when the case finished. Its hash is computed now: for those cases the chain proves nothing about
 * what happened to the stored graph between the finish and this start (docs/operations.md says so). Safe
 * to run from several processes at once (an insert of a revision that exists is ignored) and cheap when
 * there is nothing to do (one indexed query).
 */
import type { Db } from '../store/database.js';
import { casesWithoutRevisions, insertCaseRevision } from '../store/case-revisions.repository.js';
import { CONTESTABLE } from './contestable.js';
import { firstRevisionOfStored } from './revision-rows.js';

/**
 * Stores revision 1 of every finished case that has none.
 * @param batch cases read at a time.
 * @returns how many revisions were stored. O(cases without one × graph size).
 */
export async function backfillFirstRevisions(db: Db, batch = 200): Promise<number> {
  let stored = 0;
  for (;;) {
    const found = await casesWithoutRevisions(db, CONTESTABLE, batch);
    if (found.length === 0) return stored;
    for (const { row, graph } of found) {
      if (await insertCaseRevision(db, firstRevisionOfStored(row, graph))) stored += 1;
    }
    if (found.length < batch) return stored;
  }
}
