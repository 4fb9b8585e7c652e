import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appendCaseEvent,
  deleteCaseEvents,
  insertCaseEvents,
  listCaseEvents,
  maxCaseEventSeq,
} from '../../src/store/case-events.repository.js';
import {
  deleteCaseFeedback,
  insertCaseFeedback,
  listCaseFeedback,
} from '../../src/store/case-feedback.repository.js';
import { deleteCaseGraph, findCaseGraph, upsertCaseGraph } from '../../src/store/case-graphs.repository.js';
import { deleteCaseRow, insertCase } from '../../src/store/cases.repository.js';
import {
  deleteLlmCallsOfCase,
  findCachedAnswer,
  insertLlmCalls,
  listLlmCallsOfCase,
} from '../../src/store/llm-calls.repository.js';
import type { NewLlmCallRow } from '../../src/store/llm-calls.table.js';
import { DIALECTS, openTestStore, type TestStore } from './test-stores.js';

const AT = '2026-03-01T10:00:00.000Z';

function call(overrides: Partial<NewLlmCallRow>): NewLlmCallRow {
  return {
    id: crypto.randomUUID(),
    case_id: 'c1',
    role: 'verifier',
    prompt_hash: 'h',
    model: 'm',
    tokens_in: 10,
    tokens_out: 5,
    latency_ms: 3,
    cached: 0,
    attempts: 1,
    error: null,
    answer: null,
    created_at: AT,
    ...overrides,
  };
}

describe.each(DIALECTS)('events, graphs, feedback and call-log repositories on %s', (dialect) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('llm_calls').execute();
    await store.db.deleteFrom('cases').execute();
    for (const id of ['c1', 'c2']) {
      await insertCase(store.db, {
        id,
        status: 'running',
        input: '{}',
        attempts: 1,
        created_at: AT,
        updated_at: AT,
      });
    }
  });

  it('stores events, lists them after a seq, and appends at the next free seq', async () => {
    expect(await maxCaseEventSeq(store.db, 'c1')).toBe(0);
    expect(
      await appendCaseEvent(store.db, { caseId: 'c1', type: 'status', data: '{"status":"running"}', at: AT }),
    ).toBe(1);
    await insertCaseEvents(store.db, [
      { case_id: 'c1', seq: 2, type: 'argument-added', data: '{"a":1}', at: AT },
      { case_id: 'c1', seq: 3, type: 'attack-added', data: '{"b":2}', at: AT },
      { case_id: 'c2', seq: 1, type: 'argument-added', data: '{}', at: AT },
    ]);
    expect(await appendCaseEvent(store.db, { caseId: 'c1', type: 'status', data: '{}', at: AT })).toBe(4);
    expect(await maxCaseEventSeq(store.db, 'c1')).toBe(4);
    const after1 = await listCaseEvents(store.db, 'c1', 1, 100);
    expect(after1.map((row) => [row.seq, row.type])).toEqual([
      [2, 'argument-added'],
      [3, 'attack-added'],
      [4, 'status'],
    ]);
    expect(after1[0]).toEqual({ case_id: 'c1', seq: 2, type: 'argument-added', data: '{"a":1}', at: AT });
    expect(await listCaseEvents(store.db, 'c1', 0, 2)).toHaveLength(2);
    await expect(
      insertCaseEvents(store.db, [{ case_id: 'c1', seq: 2, type: 'dup', data: '{}', at: AT }]),
    ).rejects.toThrow();
    expect(await deleteCaseEvents(store.db, 'c1')).toBe(4);
    expect(await listCaseEvents(store.db, 'c2', 0, 100)).toHaveLength(1);
  });

  it('refuses events, graphs and feedback of a case that does not exist (foreign keys)', async () => {
    await expect(
      insertCaseEvents(store.db, [{ case_id: 'ghost', seq: 1, type: 't', data: '{}', at: AT }]),
    ).rejects.toThrow();
    await expect(
      upsertCaseGraph(store.db, { case_id: 'ghost', graph: '{}', nodes: 0, attacks: 0, created_at: AT }),
    ).rejects.toThrow();
    await expect(
      insertCaseFeedback(store.db, {
        id: 'f',
        case_id: 'ghost',
        outcome: 'accepted',
        at: AT,
        created_at: AT,
      }),
    ).rejects.toThrow();
  });

  it('deleting a case row cascades to its events, graph and feedback', async () => {
    await insertCaseEvents(store.db, [{ case_id: 'c1', seq: 1, type: 't', data: '{}', at: AT }]);
    await upsertCaseGraph(store.db, { case_id: 'c1', graph: '{}', nodes: 0, attacks: 0, created_at: AT });
    await insertCaseFeedback(store.db, {
      id: 'f1',
      case_id: 'c1',
      outcome: 'accepted',
      at: AT,
      created_at: AT,
    });
    await deleteCaseRow(store.db, 'c1');
    expect(await listCaseEvents(store.db, 'c1', 0, 10)).toEqual([]);
    expect(await findCaseGraph(store.db, 'c1')).toBeUndefined();
    expect(await listCaseFeedback(store.db, 'c1')).toEqual([]);
  });

  it('upserts a graph (a re-run replaces it) and deletes it', async () => {
    await upsertCaseGraph(store.db, {
      case_id: 'c1',
      graph: '{"v":1}',
      nodes: 1,
      attacks: 0,
      created_at: AT,
    });
    await upsertCaseGraph(store.db, {
      case_id: 'c1',
      graph: '{"v":2}',
      nodes: 3,
      attacks: 2,
      created_at: AT,
    });
    expect(await findCaseGraph(store.db, 'c1')).toEqual({
      case_id: 'c1',
      graph: '{"v":2}',
      nodes: 3,
      attacks: 2,
      created_at: AT,
    });
    expect(await deleteCaseGraph(store.db, 'c1')).toBe(true);
    expect(await deleteCaseGraph(store.db, 'c1')).toBe(false);
  });

  it('stores feedback in order and deletes it', async () => {
    await insertCaseFeedback(store.db, {
      id: 'f1',
      case_id: 'c1',
      outcome: 'overridden',
      override_reason: '{"code":"x"}',
      card: 'card-1',
      at: AT,
      created_at: '2026-03-01T10:00:01.000Z',
    });
    await insertCaseFeedback(store.db, {
      id: 'f0',
      case_id: 'c1',
      outcome: 'accepted',
      at: AT,
      created_at: '2026-03-01T10:00:02.000Z',
    });
    expect(
      (await listCaseFeedback(store.db, 'c1')).map((row) => [row.id, row.outcome, row.override_reason]),
    ).toEqual([
      ['f1', 'overridden', '{"code":"x"}'],
      ['f0', 'accepted', null],
    ]);
    expect(await deleteCaseFeedback(store.db, 'c1')).toBe(2);
  });

  it('serves cached answers by prompt hash and deletes a case’s call log', async () => {
    await insertLlmCalls(store.db, [
      call({ prompt_hash: 'p1', answer: null, error: 'timeout' }),
      call({ prompt_hash: 'p1', answer: '{"ok":true}' }),
      call({ prompt_hash: 'p2', case_id: 'c2', answer: 'two' }),
      call({ prompt_hash: 'p3', case_id: null, answer: 'outside' }),
    ]);
    expect(await findCachedAnswer(store.db, 'p1')).toBe('{"ok":true}');
    expect(await findCachedAnswer(store.db, 'p3')).toBe('outside');
    expect(await findCachedAnswer(store.db, 'nope')).toBeUndefined();
    const log = await listLlmCallsOfCase(store.db, 'c1');
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      role: 'verifier',
      tokens_in: 10,
      tokens_out: 5,
      latency_ms: 3,
      cached: 0,
    });
    expect(await deleteLlmCallsOfCase(store.db, 'c1')).toBe(2);
    expect(await findCachedAnswer(store.db, 'p1')).toBeUndefined();
    expect(await findCachedAnswer(store.db, 'p2')).toBe('two');
  });
});
