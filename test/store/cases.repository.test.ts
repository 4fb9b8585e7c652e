import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  claimCaseForRun,
  countCasesByStatus,
  deleteCaseRow,
  findCaseById,
  findCaseByIdempotencyKey,
  findCaseStatus,
  heartbeatCases,
  insertCase,
  listCases,
  listUnfinishedCases,
  releaseCase,
  updateCaseIfHeldAs,
  updateOwnedCase,
} from '../../src/store/cases.repository.js';
import type { NewCaseRow } from '../../src/store/cases.table.js';
import { DIALECTS, openTestStore, type TestStore } from './test-stores.js';

let counter = 0;
function caseRow(overrides: Partial<NewCaseRow> = {}): NewCaseRow {
  counter += 1;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString();
  return {
    id: `case-${String(counter).padStart(4, '0')}`,
    status: 'queued',
    input: JSON.stringify({ question: 'q', facts: [], questionType: 'choice' }),
    attempts: 0,
    created_at: at,
    updated_at: at,
    ...overrides,
  };
}

describe.each(DIALECTS)('cases repository on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('cases').execute();
  });

  it('inserts and finds a case by id and by idempotency key', async () => {
    const row = caseRow({ idempotency_key: 'k1', body_hash: 'h1' });
    expect(await insertCase(store.db, row)).toBe(true);
    expect(await findCaseById(store.db, row.id)).toMatchObject({ id: row.id, status: 'queued', attempts: 0 });
    expect((await findCaseByIdempotencyKey(store.db, 'k1'))?.id).toBe(row.id);
    expect(await findCaseStatus(store.db, row.id)).toBe('queued');
    expect(await findCaseById(store.db, 'nope')).toBeUndefined();
    expect(await findCaseStatus(store.db, 'nope')).toBeUndefined();
  });

  it('a taken idempotency key inserts nothing; cases without keys never collide', async () => {
    expect(await insertCase(store.db, caseRow({ idempotency_key: 'same' }))).toBe(true);
    const second = caseRow({ idempotency_key: 'same' });
    expect(await insertCase(store.db, second)).toBe(false);
    expect(await findCaseById(store.db, second.id)).toBeUndefined();
    expect(await insertCase(store.db, caseRow())).toBe(true);
    expect(await insertCase(store.db, caseRow())).toBe(true);
    expect(Object.values(await countCasesByStatus(store.db))).toEqual([3]);
  });

  it('lists newest first with status and time filters', async () => {
    const rows = [
      caseRow({ status: 'decided' }),
      caseRow({ status: 'failed' }),
      caseRow({ status: 'decided' }),
      caseRow({ status: 'queued' }),
    ];
    for (const row of rows) await insertCase(store.db, row);
    const all = await listCases(store.db, { limit: 10 });
    expect(all.map((row) => row.id)).toEqual(rows.map((row) => row.id).reverse());
    const decided = await listCases(store.db, { status: 'decided', limit: 10 });
    expect(decided.map((row) => row.id)).toEqual([rows[2].id, rows[0].id]);
    const window = await listCases(store.db, {
      createdAfter: rows[1].created_at,
      createdBefore: rows[2].created_at,
      limit: 10,
    });
    expect(window.map((row) => row.id)).toEqual([rows[2].id, rows[1].id]);
  });

  it('keyset pages over equal timestamps neither skip nor repeat', async () => {
    const at = '2026-02-02T00:00:00.000Z';
    const ids = Array.from({ length: 7 }, (_, index) => `same-${index}`);
    for (const id of ids) await insertCase(store.db, caseRow({ id, created_at: at, updated_at: at }));
    const seen: string[] = [];
    let after: { createdAt: string; id: string } | undefined;
    for (let page = 0; page < 10; page += 1) {
      const rows = await listCases(store.db, { limit: 3, after });
      if (rows.length === 0) break;
      seen.push(...rows.map((row) => row.id));
      const last = rows[rows.length - 1];
      after = { createdAt: last.created_at, id: last.id };
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('claims a held case for a run, counts the attempt, and refuses another owner', async () => {
    const row = caseRow({ owner: 'me', heartbeat_at: '2026-01-01T00:00:00.000Z' });
    await insertCase(store.db, row);
    expect(
      await claimCaseForRun(store.db, row.id, 'someone-else', '2026-01-02T00:00:00.000Z'),
    ).toBeUndefined();
    const claimed = await claimCaseForRun(store.db, row.id, 'me', '2026-01-02T00:00:00.000Z');
    expect(claimed).toEqual(await findCaseById(store.db, row.id));
    expect(claimed).toMatchObject({
      status: 'running',
      attempts: 1,
      heartbeat_at: '2026-01-02T00:00:00.000Z',
    });
    expect(await updateOwnedCase(store.db, row.id, 'someone-else', { status: 'decided' })).toBe(false);
    expect(await updateOwnedCase(store.db, row.id, 'me', { status: 'decided', owner: null })).toBe(true);
    // Finished: neither claimable nor updatable as owned any more.
    expect(await claimCaseForRun(store.db, row.id, 'me', '2026-01-03T00:00:00.000Z')).toBeUndefined();
    expect(await countCasesByStatus(store.db)).toEqual({ decided: 1 });
  });

  it('heartbeats only the owner’s unfinished cases', async () => {
    const mine = caseRow({ owner: 'me', heartbeat_at: 'old' });
    const theirs = caseRow({ owner: 'them', heartbeat_at: 'old' });
    const done = caseRow({ owner: 'me', heartbeat_at: 'old', status: 'decided' });
    for (const row of [mine, theirs, done]) await insertCase(store.db, row);
    expect(await heartbeatCases(store.db, [mine.id, theirs.id, done.id], 'me', 'new')).toBe(1);
    expect(await heartbeatCases(store.db, [], 'me', 'new')).toBe(0);
    expect((await findCaseById(store.db, theirs.id))?.heartbeat_at).toBe('old');
    expect((await findCaseById(store.db, mine.id))?.heartbeat_at).toBe('new');
  });

  it('compare-and-set on the holder: only one of two recoverers wins', async () => {
    const row = caseRow({ status: 'running', owner: 'dead', heartbeat_at: 'then', attempts: 1 });
    await insertCase(store.db, row);
    const [seen] = await listUnfinishedCases(store.db);
    expect(seen).toEqual({ id: row.id, status: 'running', attempts: 1, owner: 'dead', heartbeat_at: 'then' });
    const results = await Promise.all([
      updateCaseIfHeldAs(store.db, seen, { owner: 'a', heartbeat_at: 'now-a', status: 'queued' }),
      updateCaseIfHeldAs(store.db, seen, { owner: 'b', heartbeat_at: 'now-b', status: 'queued' }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const nullHolder = caseRow({ status: 'queued', owner: null, heartbeat_at: null });
    await insertCase(store.db, nullHolder);
    const held = (await listUnfinishedCases(store.db)).find((entry) => entry.id === nullHolder.id)!;
    expect(await updateCaseIfHeldAs(store.db, held, { owner: 'c' })).toBe(true);
    expect(await updateCaseIfHeldAs(store.db, held, { owner: 'd' })).toBe(false);
  });

  it('releases a case back to queued without an owner and uncounts the attempt', async () => {
    const row = caseRow({ owner: 'me', heartbeat_at: 'x' });
    await insertCase(store.db, row);
    await claimCaseForRun(store.db, row.id, 'me', 'y');
    expect(await releaseCase(store.db, row.id, 'me', 'z')).toBe(true);
    expect(await findCaseById(store.db, row.id)).toMatchObject({
      status: 'queued',
      owner: null,
      heartbeat_at: null,
      attempts: 0,
      updated_at: 'z',
    });
    expect(await releaseCase(store.db, row.id, 'me', 'z')).toBe(false);
  });

  it('deletes a case row and reports whether it existed', async () => {
    const row = caseRow();
    await insertCase(store.db, row);
    expect(await deleteCaseRow(store.db, row.id)).toBe(true);
    expect(await deleteCaseRow(store.db, row.id)).toBe(false);
    expect(await countCasesByStatus(store.db)).toEqual({});
  });
});
