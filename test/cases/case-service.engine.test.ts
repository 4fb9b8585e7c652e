/**
 * The case service with the real engine and the knowledge back-end on every example case: what the service
 * stores (status, decision, graph, events) is what the engine produces for the same case, on both dialects.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Case, CaseSchema } from '../../agents/case.js';
import { type BuiltBackend, createBackend } from '../../src/backends.js';
import { createCaseService } from '../../src/cases/case-service.js';
import type { CaseService, StoredEvent } from '../../src/cases/types.js';
import { loadConfig } from '../../src/config.js';
import { deliberate } from '../../src/engine/deliberate.js';
import type { DeliberationResult } from '../../src/engine/types.js';
import { insertCase } from '../../src/store/cases.repository.js';
import { DIALECTS, openTestStore, type TestStore } from '../store/test-stores.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples', 'cases');
const examples = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, input: JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8')) as unknown }));

async function collect(iterable: AsyncIterable<StoredEvent>): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const event of iterable) out.push(event);
  return out;
}

describe.each(DIALECTS)('case service with the engine and the knowledge back-end on %s', (dialect) => {
  let store: TestStore;
  let built: BuiltBackend;
  let service: CaseService;
  const expected = new Map<string, DeliberationResult>();

  beforeAll(async () => {
    store = await openTestStore(dialect);
    built = await createBackend(loadConfig({}));
    for (const { name, input } of examples) {
      expected.set(
        name,
        await deliberate(CaseSchema.parse(input), { backend: built.backend, schemes: built.schemes }),
      );
    }
    service = createCaseService({ db: store.db, backendFor: () => built, sweepEveryMs: 0 });
  });
  afterAll(async () => {
    await service?.close();
    await store?.close();
  });

  it('has example cases to run', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples.map((example) => example.name))('%s: stores what the engine decides', async (name) => {
    const input = examples.find((example) => example.name === name)!.input as Case;
    const direct = expected.get(name)!;
    const { record } = await service.submit(input);
    const done = await service.waitUntilDone(record.id, 20_000);
    expect(done?.status).toBe(direct.status);
    expect(done?.result?.decision).toEqual(direct.decision);
    expect(done?.result?.explanation).toBe(direct.explanation);
    expect(done?.result?.graph).toEqual(direct.graph);
    expect(await service.graph(record.id)).toEqual(direct.graph);
    if (direct.status === 'failed') expect(done?.error).toBe(direct.reason);
    else expect(done?.error).toBeUndefined();

    // The stored events retell the dialogue: every argument of the graph was announced, in seq order.
    const events = await collect(service.events(record.id, 0));
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    const announced = events
      .filter((event) => event.type === 'argument-added')
      .map((event) => (event.data as { argument: { id: string } }).argument.id);
    expect(new Set(announced)).toEqual(new Set(direct.graph.nodes.map((node) => node.id)));
    expect(events.at(-1)).toMatchObject({ type: 'status', data: { status: direct.status } });
    const decided = events.find((event) => event.type === 'decided');
    expect(decided?.data).toMatchObject({ status: direct.status });
  });

  it('re-runs an example case a dead process left running, to the same outcome', async () => {
    const { name, input } = examples[0];
    const stale = '2026-01-01T00:00:00.000Z';
    await insertCase(store.db, {
      id: `orphan-${name}`,
      status: 'running',
      input: JSON.stringify(CaseSchema.parse(input)),
      attempts: 1,
      owner: 'crashed-host:1:00000000',
      heartbeat_at: stale,
      created_at: stale,
      updated_at: stale,
    });
    expect(await service.recoverInterrupted()).toEqual({ rerun: 1, failed: 0 });
    const done = await service.waitUntilDone(`orphan-${name}`, 20_000);
    expect(done?.status).toBe(expected.get(name)!.status);
    expect(done?.result?.decision).toEqual(expected.get(name)!.decision);
  });
});
