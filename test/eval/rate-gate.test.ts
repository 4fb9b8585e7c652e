import { describe, expect, it, vi } from 'vitest';
import { createRateGate } from '../../src/eval/run/rate-gate.js';

describe('rate gate', () => {
  it('allows at most the limit in flight', async () => {
    const gate = createRateGate({ max: 2 });
    const a = await gate.acquire();
    await gate.acquire();
    let third = false;
    const pending = gate.acquire().then((release) => {
      third = true;
      return release;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(third).toBe(false);
    a();
    (await pending)();
    expect(third).toBe(true);
  });

  it('halves on a rate limit, pauses, then climbs back after successes', async () => {
    // A Retry-After of a minute on a fake clock: the pause is checked to the millisecond without waiting it.
    vi.useFakeTimers();
    try {
      const gate = createRateGate({ max: 8 });
      gate.slowDown(60_000);
      expect(gate.limit).toBe(4);
      gate.slowDown(60_000);
      expect(gate.limit).toBe(2);
      let granted = false;
      const pending = gate.acquire().then((release) => {
        granted = true;
        return release;
      });
      await vi.advanceTimersByTimeAsync(59_999);
      expect(granted).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(granted).toBe(true);
      (await pending)();
      gate.succeeded();
      gate.succeeded();
      expect(gate.limit).toBe(3);
      for (let i = 0; i < 3; i++) gate.succeeded();
      expect(gate.limit).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never drops below one', () => {
    const gate = createRateGate({ max: 1 });
    gate.slowDown(0);
    expect(gate.limit).toBe(1);
  });
});
