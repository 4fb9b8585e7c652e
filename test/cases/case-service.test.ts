import { hostname } from 'node:os';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Case, type CaseInput, CaseSchema } from '../../agents/case.js';
import { createCaseService } from '../../src/cases/case-service.js';
import type { CaseServiceOptions } from '../../src/cases/case-service-options.js';
import type { CaseService, StoredEvent } from '../../src/cases/types.js';
import { listCaseEvents } from '../../src/store/case-events.repository.js';
import { findCaseGraph } from '../../src/store/case-graphs.repository.js';
import { findCaseById, insertCase } from '../../src/store/cases.repository.js';
import type { Store } from '../../src/store/open-store.js';
import { listLlmCallsOfCase } from '../../src/store/llm-calls.repository.js';
import { DIALECTS, openTestStore, type TestStore } from '../store/test-stores.js';
import { createScript, FAKE_BACKEND, type Script } from './scripted-deliberation.js';

function kase(question: string, extra: Partial<CaseInput> = {}): Case {
  return CaseSchema.parse({
    title: `title of ${question}`,
    facts: ['fact one', { id: 'f2', text: 'fact two', codes: ['x'] }],
    question,
    options: [
      { id: 'A', text: 'first' },
      { id: 'B', text: 'second' },
    ],
    ...extra,
  });
}

/** Resolves once `check` holds (a write under way lands), polling the store; fails after 5 s. */
async function settles(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the expected write did not land within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function collect(iterable: AsyncIterable<StoredEvent>, limit = 1000): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const event of iterable) {
    out.push(event);
    if (out.length >= limit) break;
  }
  return out;
}

describe.each(DIALECTS)('case service on %s', (dialect) => {
  let store: TestStore;
  let script: Script;
  const open: Array<CaseService | Store> = [];

  function service(options: Partial<CaseServiceOptions> = {}): CaseService {
    const created = createCaseService({
      db: store.db,
      backendFor: () => FAKE_BACKEND,
      deliberate: script.deliberate,
      pollMs: 50,
      sweepEveryMs: 0,
      ...options,
    });
    open.push(created);
    return created;
  }

  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(async () => {
    script = createScript();
    await store.db.deleteFrom('llm_calls').execute();
    await store.db.deleteFrom('cases').execute();
  });
  afterEach(async () => {
    script.release();
    for (const item of open.splice(0).reverse()) await item.close();
  });

  it('submit stores the case queued, runs it, and stores result, graph, events and call log', async () => {
    const cases = service();
    const { record, created } = await cases.submit(kase('which one?'));
    expect(created).toBe(true);
    expect(record).toMatchObject({
      status: 'queued',
      input: { question: 'which one?', questionType: 'choice' },
    });
    expect(record.feedback).toEqual([]);
    const done = await cases.waitUntilDone(record.id, 5_000);
    expect(done).toMatchObject({ id: record.id, status: 'decided', result: { decision: { option: 'A' } } });
    expect(done?.finishedAt).toBeDefined();
    expect(done?.result?.graph.nodes.map((node) => node.id)).toEqual(['a1', 'a2']);
    expect(await cases.graph(record.id)).toEqual(done?.result?.graph);
    expect((await cases.get(record.id))?.result).toEqual(done?.result);

    const events = await collect(cases.events(record.id, 0));
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events.map((event) => event.type)).toEqual([
      'status',
      'argument-added',
      'argument-added',
      'attack-added',
      'round-done',
      'solved',
      'decided',
      'status',
    ]);
    expect(events[0].data).toEqual({ status: 'running', attempt: 1 });
    expect(events[1].data).toMatchObject({ argument: { id: 'a1', option: 'A' } });
    expect(events[7].data).toEqual({ status: 'decided' });

    const row = await findCaseById(store.db, record.id);
    expect(row).toMatchObject({ attempts: 1, owner: null, decision: 'A', title: 'title of which one?' });
    expect(JSON.parse(row!.result!)).not.toHaveProperty('graph');
    const log = await listLlmCallsOfCase(store.db, record.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ role: 'verifier', cached: 0, answer: '{"verdicts":[]}' });
  });

  it('checks a stored case when reading it back, naming the field and not its content', async () => {
    const cases = service();
    const { record } = await cases.submit(kase('stored then damaged'));
    await cases.waitUntilDone(record.id, 5_000);
    await store.db
      .updateTable('cases')
      .set({ input: JSON.stringify({ question: '', facts: ['secret fact'] }) })
      .where('id', '=', record.id)
      .execute();
    const error = await cases.get(record.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/does not match the case schema \(question\)/);
    expect((error as Error).message).not.toContain('secret');
  });

  it('a deliberation that throws ends failed with the reason', async () => {
    const cases = service();
    const { record } = await cases.submit(kase('please throw'));
    const done = await cases.waitUntilDone(record.id, 5_000);
    expect(done).toMatchObject({ status: 'failed', error: 'deliberation failed: scripted engine crash' });
    const events = await collect(cases.events(record.id, 0));
    expect(events.at(-1)).toMatchObject({
      type: 'status',
      data: { status: 'failed', error: 'deliberation failed: scripted engine crash' },
    });
  });

  it('a result that cannot be stored ends the case failed with the reason, not running forever', async () => {
    const cases = service({
      deliberate: async (input, options) => {
        const result = await script.deliberate(input, options);
        // A result JSON cannot represent: storing it throws inside the final transaction.
        (result as unknown as { self: unknown }).self = result;
        return result;
      },
    });
    const { record } = await cases.submit(kase('unstorable'));
    const done = await cases.waitUntilDone(record.id, 5_000);
    expect(done?.status).toBe('failed');
    expect(done?.error).toMatch(/^could not store the deliberation: .*circular/i);
    expect(done?.result).toBeUndefined();
    expect(await findCaseById(store.db, record.id)).toMatchObject({ owner: null, attempts: 1 });
  });

  it('a failed result is stored as failed with the engine’s reason and its graph', async () => {
    const cases = service();
    const { record } = await cases.submit(kase('fail please'));
    const done = await cases.waitUntilDone(record.id, 5_000);
    expect(done).toMatchObject({ status: 'failed', error: 'scripted failure', result: { status: 'failed' } });
    expect(await cases.graph(record.id)).toMatchObject({ nodes: [{ id: 'a1' }, { id: 'a2' }] });
  });

  it('lists with status and time filters, and cursor pages neither skip nor repeat', async () => {
    const cases = service();
    const ids: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      const { record } = await cases.submit(kase(index % 3 === 0 ? `fail ${index}` : `q ${index}`));
      ids.push(record.id);
      await cases.waitUntilDone(record.id, 5_000);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await cases.list({ limit: 3, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
      // A case added between pages lands before the cursor, so it neither shifts nor repeats later pages.
      if (pages === 1) ids.push((await cases.submit(kase('late'))).record.id);
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids.slice(0, 7).reverse());

    const failed = await cases.list({ status: 'failed', limit: 10 });
    expect(failed.items.map((item) => item.id)).toEqual([ids[6], ids[3], ids[0]]);
    expect(failed.items[0]).toMatchObject({ status: 'failed', title: 'title of fail 6' });
    const decided = await cases.list({ status: 'decided', limit: 1 });
    expect(decided.items[0]).toMatchObject({ decision: 'A' });

    const first = await cases.get(ids[0]);
    const second = await cases.get(ids[1]);
    const window = await cases.list({
      createdAfter: first!.createdAt,
      createdBefore: second!.createdAt,
      limit: 10,
    });
    expect(window.items.map((item) => item.id).sort()).toEqual([ids[0], ids[1]].sort());
    const future = await cases.list({ createdAfter: '2999-01-01T00:00:00+02:00', limit: 10 });
    expect(future.items).toEqual([]);

    await expect(cases.list({ limit: 3, cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: 'ARGMED_VALIDATION',
      message: expect.stringMatching(/^cursor: /),
    });
    await expect(cases.list({ limit: 3, createdAfter: 'yesterday' })).rejects.toMatchObject({
      code: 'ARGMED_VALIDATION',
      message: expect.stringMatching(/^createdAfter: /),
    });
  });

  it('idempotency: same key and body give the same case and one run; another body conflicts', async () => {
    const cases = service();
    const body = kase('idempotent?');
    const { options, question, ...rest } = body;
    const reordered: Case = { options, ...rest, question };
    const first = await cases.submit(body, { idempotencyKey: 'key-1' });
    const again = await cases.submit(reordered, { idempotencyKey: 'key-1' });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.record.id).toBe(first.record.id);
    await cases.waitUntilDone(first.record.id, 5_000);
    const later = await cases.submit(body, { idempotencyKey: 'key-1' });
    expect(later).toMatchObject({ created: false, record: { id: first.record.id, status: 'decided' } });
    await expect(cases.submit(kase('another body'), { idempotencyKey: 'key-1' })).rejects.toMatchObject({
      code: 'ARGMED_IDEMPOTENCY_CONFLICT',
    });
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => cases.submit(kase('raced'), { idempotencyKey: 'key-2' })),
    );
    expect(concurrent.filter((result) => result.created)).toHaveLength(1);
    expect(new Set(concurrent.map((result) => result.record.id)).size).toBe(1);
    await cases.waitUntilDone(concurrent[0].record.id, 5_000);
    expect(script.calls.filter((question) => question === 'idempotent?')).toHaveLength(1);
    expect(script.calls.filter((question) => question === 'raced')).toHaveLength(1);
    expect((await cases.list({ limit: 10 })).items).toHaveLength(2);
  });

  it('events: replays after a seq, then follows live events until the case ends', async () => {
    script.hold();
    const cases = service();
    const { record } = await cases.submit(kase('live?'));
    await script.atGate(1);
    const live = collect(cases.events(record.id, 0));
    const tail = collect(cases.events(record.id, 2));
    // Let the readers catch up with what is stored before the rest happens.
    await new Promise((resolve) => setTimeout(resolve, 100));
    script.release();
    const all = await live;
    expect(all.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await tail).map((event) => event.seq)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(await collect(cases.events(record.id, 8))).toEqual([]);
    expect(await collect(cases.events(record.id, 6))).toEqual(all.slice(6));
    expect(await collect(cases.events('no-such-case', 0))).toEqual([]);
  });

  it('events of a case run by another process are followed by polling', async () => {
    script.hold();
    const runner = service();
    const { record } = await runner.submit(kase('elsewhere?'));
    await script.atGate(1);
    const other = await store.reopen();
    open.push(other);
    const reader = createCaseService({
      db: other.db,
      backendFor: () => FAKE_BACKEND,
      deliberate: script.deliberate,
      pollMs: 30,
      sweepEveryMs: 0,
    });
    open.push(reader);
    const stream = collect(reader.events(record.id, 0));
    const waited = reader.waitUntilDone(record.id, 5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    script.release();
    expect((await stream).map((event) => event.type).at(-1)).toBe('status');
    expect((await stream).map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await waited)?.status).toBe('decided');
  });

  it('events stop when the signal aborts', async () => {
    script.hold();
    const cases = service();
    const { record } = await cases.submit(kase('abort the stream'));
    await script.atGate(1);
    const controller = new AbortController();
    const stream = collect(cases.events(record.id, 0, controller.signal));
    setTimeout(() => controller.abort(), 100);
    const events = await stream;
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it('waitUntilDone answers the current record at the timeout, and undefined for an unknown id', async () => {
    script.hold();
    const cases = service();
    const { record } = await cases.submit(kase('slow'));
    const started = Date.now();
    const current = await cases.waitUntilDone(record.id, 150);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(current?.status).toBe('running');
    expect(await cases.waitUntilDone('nope', 100)).toBeUndefined();
  });

  it('delete removes the case with its events, graph, feedback and call log, in one go', async () => {
    const cases = service();
    const { record } = await cases.submit(kase('delete me'));
    const keep = await cases.submit(kase('keep me'));
    await cases.waitUntilDone(record.id, 5_000);
    await cases.waitUntilDone(keep.record.id, 5_000);
    expect(await cases.addFeedback(record.id, { outcome: 'accepted', at: '2026-01-01T00:00:00.000Z' })).toBe(
      true,
    );
    expect(await cases.delete(record.id)).toBe(true);
    expect(await cases.get(record.id)).toBeUndefined();
    expect(await cases.graph(record.id)).toBeUndefined();
    expect(await listCaseEvents(store.db, record.id, 0, 100)).toEqual([]);
    expect(await findCaseGraph(store.db, record.id)).toBeUndefined();
    expect(await listLlmCallsOfCase(store.db, record.id)).toEqual([]);
    expect(await store.db.selectFrom('case_feedback').selectAll().execute()).toEqual([]);
    expect(await cases.delete(record.id)).toBe(false);
    // The other case is untouched.
    expect((await cases.get(keep.record.id))?.status).toBe('decided');
    expect(await listLlmCallsOfCase(store.db, keep.record.id)).toHaveLength(1);
  });

  it('delete during a run stops it and leaves nothing behind', async () => {
    script.hold();
    const cases = service();
    const { record } = await cases.submit(kase('deleted while running'));
    await script.atGate(1);
    const stream = collect(cases.events(record.id, 0));
    expect(await cases.delete(record.id)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await findCaseById(store.db, record.id)).toBeUndefined();
    expect(await listCaseEvents(store.db, record.id, 0, 100)).toEqual([]);
    expect(await listLlmCallsOfCase(store.db, record.id)).toEqual([]);
    // The stream ends (it may have seen events of the aborted run before the delete committed).
    await stream;
    expect(script.running).toBe(0);
  });

  it('a case deleted by another process while it runs here leaves no call-log rows behind', async () => {
    script.hold();
    const runner = service();
    const { record } = await runner.submit(kase('late call after delete'));
    await script.atGate(1);
    const other = await store.reopen();
    open.push(other);
    const remote = service({ db: other.db });
    expect(await remote.delete(record.id)).toBe(true);
    script.release();
    const deadline = Date.now() + 5_000;
    while (script.running > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    // The runner notices at its final write that the case is gone and removes what it logged meanwhile.
    await runner.close();
    expect(await findCaseById(store.db, record.id)).toBeUndefined();
    expect(await listLlmCallsOfCase(store.db, record.id)).toEqual([]);
    expect(await listCaseEvents(store.db, record.id, 0, 100)).toEqual([]);
  });

  it('feedback is stored with the case; feedback for an unknown case is refused', async () => {
    const cases = service();
    const { record } = await cases.submit(kase('feedback'));
    const overridden = {
      outcome: 'overridden' as const,
      overrideReason: { code: 'patient-preference', display: 'Patient preference', userComment: 'declined' },
      card: 'card-1',
      at: '2026-01-02T00:00:00.000Z',
    };
    expect(await cases.addFeedback(record.id, overridden)).toBe(true);
    expect(await cases.addFeedback(record.id, { outcome: 'accepted', at: '2026-01-03T00:00:00.000Z' })).toBe(
      true,
    );
    expect((await cases.get(record.id))?.feedback).toEqual([
      overridden,
      { outcome: 'accepted', at: '2026-01-03T00:00:00.000Z' },
    ]);
    expect(await cases.addFeedback('nope', { outcome: 'accepted', at: '2026-01-03T00:00:00.000Z' })).toBe(
      false,
    );
  });

  it('runs at most `concurrency` deliberations at once', async () => {
    script.hold();
    const cases = service({ concurrency: 2 });
    const ids = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) => (await cases.submit(kase(`c${n}`))).record.id),
    );
    await script.atGate(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(script.running).toBe(2);
    expect((await cases.list({ status: 'queued', limit: 10 })).items).toHaveLength(3);
    script.release();
    for (const id of ids) expect((await cases.waitUntilDone(id, 5_000))?.status).toBe('decided');
    expect(script.maxRunning).toBe(2);
  });

  it('the persisted call cache serves a second identical case', async () => {
    const cases = service();
    const first = await cases.submit(kase('cache me'));
    await cases.waitUntilDone(first.record.id, 5_000);
    const second = await cases.submit(kase('cache me', { title: 'again' }));
    const done = await cases.waitUntilDone(second.record.id, 5_000);
    expect(script.cacheHits).toBe(1);
    expect(done?.result?.calls).toEqual([expect.objectContaining({ cached: true })]);
    // The hit is logged too, without an answer of its own.
    expect(await listLlmCallsOfCase(store.db, second.record.id)).toEqual([
      expect.objectContaining({ cached: 1, answer: null, prompt_hash: 'prompt:cache me' }),
    ]);
  });

  describe('recovery', () => {
    const stale = '2026-01-01T00:00:00.000Z';
    async function orphan(id: string, overrides: Record<string, unknown>) {
      await insertCase(store.db, {
        id,
        status: 'running',
        input: JSON.stringify({ question: `orphan ${id}`, facts: [], questionType: 'choice' }),
        attempts: 1,
        owner: 'gone-host:4242:deadbeef',
        heartbeat_at: stale,
        created_at: stale,
        updated_at: stale,
        ...overrides,
      });
    }

    it('re-runs a case left running by a dead process, continuing its event numbering', async () => {
      await orphan('crashed', {});
      await store.db
        .insertInto('case_events')
        .values({
          case_id: 'crashed',
          seq: 1,
          type: 'status',
          data: '{"status":"running","attempt":1}',
          at: stale,
        })
        .execute();
      const cases = service();
      expect(await cases.recoverInterrupted()).toEqual({ rerun: 1, failed: 0 });
      const done = await cases.waitUntilDone('crashed', 5_000);
      expect(done?.status).toBe('decided');
      expect(await findCaseById(store.db, 'crashed')).toMatchObject({ attempts: 2 });
      const events = await collect(cases.events('crashed', 0));
      expect(events[0].seq).toBe(1);
      expect(events[1]).toMatchObject({ seq: 2, type: 'status', data: { status: 'running', attempt: 2 } });
      expect(events.at(-1)).toMatchObject({ type: 'status', data: { status: 'decided' } });
      expect(await cases.recoverInterrupted()).toEqual({ rerun: 0, failed: 0 });
    });

    it('re-runs a queued case without an owner; marks failed one that was started too often', async () => {
      await orphan('never-started', { status: 'queued', attempts: 0, owner: null, heartbeat_at: null });
      await orphan('keeps-crashing', { attempts: 3 });
      const cases = service({ maxAttempts: 3 });
      expect(await cases.recoverInterrupted()).toEqual({ rerun: 1, failed: 1 });
      expect((await cases.waitUntilDone('never-started', 5_000))?.status).toBe('decided');
      const failed = await cases.get('keeps-crashing');
      expect(failed).toMatchObject({ status: 'failed' });
      expect(failed?.error).toMatch(/^interrupted: .* 3 times/);
      expect(failed?.finishedAt).toBeDefined();
      const events = await collect(cases.events('keeps-crashing', 0));
      expect(events).toEqual([
        expect.objectContaining({ type: 'status', data: { status: 'failed', error: failed?.error } }),
      ]);
    });

    it('a fresh heartbeat on this host is recovered only when its process is gone', async () => {
      const fresh = new Date().toISOString();
      // This test's parent process is alive; a pid far above the kernel's limit is not.
      await orphan('alive-holder', { owner: `${hostname()}:${process.ppid}:cafe0001`, heartbeat_at: fresh });
      await orphan('dead-holder', { owner: `${hostname()}:99999999:cafe0002`, heartbeat_at: fresh });
      await orphan('remote-holder', { owner: 'another-host:1:cafe0003', heartbeat_at: fresh });
      const cases = service();
      expect(await cases.recoverInterrupted()).toEqual({ rerun: 1, failed: 0 });
      expect((await cases.waitUntilDone('dead-holder', 5_000))?.status).toBe('decided');
      expect((await cases.get('alive-holder'))?.status).toBe('running');
      expect((await cases.get('remote-holder'))?.status).toBe('running');
    });

    it('a live service keeps its cases by heartbeat; another service in the same process leaves them', async () => {
      // The heartbeat's interval runs on a fake clock, and the service's `now` follows it: 40 s of beats at
      // the default period take no real time, and each beat's write is awaited before the clock moves on.
      vi.useFakeTimers({ toFake: ['setInterval'] });
      try {
        let clock = Date.parse('2026-06-01T00:00:00.000Z');
        const now = () => new Date(clock);
        script.hold();
        const holder = service({ now, heartbeatMs: 5_000, staleAfterMs: 30_000 });
        const { record } = await holder.submit(kase('held'));
        await script.atGate(1);
        const heartbeatIs = async (at: number) =>
          (await findCaseById(store.db, record.id))?.heartbeat_at === new Date(at).toISOString();
        expect(await heartbeatIs(clock)).toBe(true);
        for (let beat = 0; beat < 8; beat++) {
          clock += 5_000;
          vi.advanceTimersByTime(5_000);
          await settles(() => heartbeatIs(clock));
        }
        // 40 s after the claim, past staleAfterMs: only the beats keep the case its holder's.
        const other = service({ now, staleAfterMs: 30_000 });
        expect(await other.recoverInterrupted()).toEqual({ rerun: 0, failed: 0 });
        script.release();
        expect((await holder.waitUntilDone(record.id, 5_000))?.status).toBe('decided');
        expect(script.calls.filter((question) => question === 'held')).toHaveLength(1);
      } finally {
        vi.useRealTimers();
      }
    });

    it('two services recovering at once run each orphan once', async () => {
      for (const id of ['o1', 'o2', 'o3']) await orphan(id, {});
      const a = service();
      const b = service();
      const [ra, rb] = await Promise.all([a.recoverInterrupted(), b.recoverInterrupted()]);
      expect(ra.rerun + rb.rerun).toBe(3);
      for (const id of ['o1', 'o2', 'o3']) expect((await a.waitUntilDone(id, 5_000))?.status).toBe('decided');
      expect(script.calls.filter((question) => question.startsWith('orphan'))).toHaveLength(3);
    });

    it('close hands a running case back; the next service re-runs it at once', async () => {
      script.hold();
      const first = service();
      const { record } = await first.submit(kase('interrupted by shutdown'));
      const waiting = await first.submit(kase('still queued'));
      expect(waiting.created).toBe(true);
      await script.atGate(2);
      await first.close();
      expect(await findCaseById(store.db, record.id)).toMatchObject({
        status: 'queued',
        owner: null,
        attempts: 0,
      });
      await expect(first.submit(kase('after close'))).rejects.toMatchObject({ code: 'ARGMED_NOT_READY' });
      script.release();
      const second = service();
      expect(await second.recoverInterrupted()).toEqual({ rerun: 2, failed: 0 });
      expect((await second.waitUntilDone(record.id, 5_000))?.status).toBe('decided');
      expect((await second.waitUntilDone(waiting.record.id, 5_000))?.status).toBe('decided');
    });

    it('the periodic sweep picks up an orphan without a call', async () => {
      await orphan('swept', {});
      const cases = service({ sweepEveryMs: 50 });
      expect((await cases.waitUntilDone('swept', 5_000))?.status).toBe('decided');
    });
  });
});
