/**
 * The hash chain of a case's revisions (tamper evidence for the audit trail): each revision's hash is the
 * sha256 of the canonical JSON of its stored columns (as stored, so nothing is re-serialised differently)
 * and of the previous revision's hash. Editing any stored revision, dropping one or reordering them breaks
 * the chain from that revision on. It proves the rows were not edited behind the service's back; it is not
 * a signature (whoever can write the table can also recompute every hash), for that the head hash must be
 * kept elsewhere (README "Contesting a case": `chain.head`).
 */
import { bodyHash } from '../cases/body-hash.js';
import type { CaseRevisionRow, NewCaseRevisionRow } from '../store/case-revisions.table.js';

/** The columns a revision's hash covers: every column but the hash itself. */
type HashedColumns = Omit<NewCaseRevisionRow, 'hash'>;

/** The hash of a revision row (without its `hash`). O(size of the row). */
export function revisionHash(row: HashedColumns): string {
  return bodyHash({
    case_id: row.case_id,
    revision: row.revision,
    kind: row.kind,
    author: row.author,
    reason: row.reason ?? null,
    change: row.change,
    graph: row.graph,
    outcome: row.outcome,
    labels_before: row.labels_before,
    labels_after: row.labels_after,
    subject: row.subject ?? null,
    previous_hash: row.previous_hash ?? null,
    created_at: row.created_at,
  });
}

/** Whether the chain holds, and if not the first revision where it breaks. */
export interface ChainCheck {
  verified: boolean;
  /** The first revision whose hash or link does not match. */
  brokenAt?: number;
  /** The hash of the last revision (what an auditor keeps to detect a rewrite of the whole chain). */
  head?: string;
}

/**
 * Verifies a case's revisions, oldest first: numbers 1..n without gaps, each hash recomputed, each link to
 * the previous hash. O(total size).
 */
export function verifyChain(rows: readonly CaseRevisionRow[]): ChainCheck {
  let previous: string | null = null;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const linked = row.revision === i + 1 && (row.previous_hash ?? null) === previous;
    if (!linked || revisionHash(row) !== row.hash) return { verified: false, brokenAt: row.revision };
    previous = row.hash;
  }
  return { verified: true, ...(previous !== null ? { head: previous } : {}) };
}
