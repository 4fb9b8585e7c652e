import { describe, expect, it, vi } from 'vitest';
import { deliberate } from '../../src/engine/deliberate.js';
import { deliberationEvents } from '../../src/engine/deliberation-events.js';
import type { DeliberationEvent, DeliberationStreamItem } from '../../src/engine/types.js';
import { decision, fakeBackend, testCase, testSchemes } from './fake-backend.js';

const schemes = testSchemes();
const script = {
  fails: {
    'ASDM for b': { 'side-effects': 'b harms' },
    'side-effects against ASDM for b': { mitigation: 'mitigated' },
  },
  compare: () => [decision('b', 'ASBD', { worse: 'a' })],
};

describe('deliberation events', () => {
  it('announce every argument before the attacks on it, rounds in order, then solved, then decided', async () => {
    const events: DeliberationEvent[] = [];
    const { backend } = fakeBackend(script);
    const result = await deliberate(testCase(), { backend, schemes, onEvent: (e) => events.push(e) });
    expect(result.status).toBe('decided');

    const announced = new Set<string>();
    for (const event of events) {
      if (event.type === 'argument-added') announced.add(event.argument.id);
      if (event.type === 'attack-added') {
        expect(announced.has(event.attack.from) && announced.has(event.attack.to)).toBe(true);
      }
    }
    expect([...announced].sort()).toEqual(result.graph.nodes.map((n) => n.id).sort());
    const attacks = events.filter((e) => e.type === 'attack-added');
    expect(attacks).toHaveLength(result.graph.attacks.length);

    const rounds = events.filter((e) => e.type === 'round-done').map((e) => e.round);
    expect(rounds).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rounds).toHaveLength(result.rounds);
    // Arguments are announced before the end of the round that made them.
    const roundOf = (id: string) => result.graph.nodes.find((n) => n.id === id)?.round;
    events.forEach((event, index) => {
      if (event.type !== 'argument-added') return;
      const done = events.findIndex((e) => e.type === 'round-done' && e.round === roundOf(event.argument.id));
      expect(done).toBeGreaterThan(index);
    });

    const kinds = events.map((e) => e.type);
    expect(kinds.filter((k) => k === 'solved')).toHaveLength(2); // before and after the better-decision round
    expect(kinds.at(-1)).toBe('decided');
    expect(kinds.at(-2)).toBe('solved');
    const last = events.at(-1);
    expect(last).toEqual({ type: 'decided', status: 'decided', decision: result.decision });
    const solved = events.at(-2);
    if (solved?.type !== 'solved') throw new Error('expected solved');
    expect(solved.labels).toEqual(Object.fromEntries(result.graph.nodes.map((n) => [n.id, n.label])));
  });

  it('stream as an async iterator that ends with the result', async () => {
    const { backend } = fakeBackend(script);
    const seen: DeliberationEvent[] = [];
    const items: DeliberationStreamItem[] = [];
    for await (const item of deliberationEvents(testCase(), {
      backend,
      schemes,
      onEvent: (e) => seen.push(e),
    })) {
      items.push(item);
    }
    const last = items.at(-1);
    if (last?.type !== 'result') throw new Error('the stream must end with the result');
    expect(last.result.status).toBe('decided');
    expect(last.result.decision?.option).toBe('b');
    expect(items.slice(0, -1)).toEqual(seen);
    const { backend: again } = fakeBackend(script);
    const direct = await deliberate(testCase(), { backend: again, schemes });
    expect(last.result.graph).toEqual(direct.graph);
  });

  it('aborts the deliberation when the consumer stops early', async () => {
    let signal: AbortSignal | undefined;
    const { backend } = fakeBackend({
      beforeVerify: (request) => {
        signal = request.signal;
        return new Promise(() => {});
      },
    });
    const seen: DeliberationEvent[] = [];
    const options = { backend, schemes, onEvent: (e: DeliberationEvent) => seen.push(e) };
    for await (const item of deliberationEvents(testCase(), options)) {
      if (item.type === 'round-done') break;
    }
    // Without the abort the hanging verifier would hold the run until the 120 s deadline.
    await vi.waitFor(() => expect(seen.at(-1)?.type).toBe('decided'), { timeout: 2_000 });
    expect(signal?.aborted).toBe(true);
  });
});
