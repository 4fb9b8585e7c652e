/**
 * onAbort: many watchers of one signal share one listener on it, every watcher is called when it aborts, a
 * watcher that stopped is not, and the listener goes with the last watcher.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort } from '../../../agents/llm/on-abort.js';

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('onAbort', () => {
  it('keeps one listener for any number of watchers and removes it with the last', () => {
    const controller = new AbortController();
    const stops = Array.from({ length: 50 }, () => onAbort(controller.signal, () => {}));
    expect(listeners(controller.signal)).toBe(1);
    for (const stop of stops.slice(0, 49)) stop();
    expect(listeners(controller.signal)).toBe(1);
    stops[49]();
    stops[49]();
    expect(listeners(controller.signal)).toBe(0);
    onAbort(controller.signal, () => {});
    expect(listeners(controller.signal)).toBe(1);
  });

  it('calls every watcher still watching once on abort, and none that stopped', () => {
    const controller = new AbortController();
    const called: number[] = [];
    const stops = [0, 1, 2, 3].map((n) => onAbort(controller.signal, () => called.push(n)));
    stops[1]();
    // The same function watched twice is two watchers.
    const twice = () => called.push(9);
    onAbort(controller.signal, twice);
    onAbort(controller.signal, twice);
    controller.abort();
    controller.abort();
    expect(called.sort()).toEqual([0, 2, 3, 9, 9]);
    expect(listeners(controller.signal)).toBe(0);
    for (const stop of stops) stop();
  });

  it('does nothing for no signal or one already aborted', () => {
    let called = 0;
    onAbort(undefined, () => called++)();
    const aborted = AbortSignal.abort();
    onAbort(aborted, () => called++)();
    expect(called).toBe(0);
    expect(listeners(aborted)).toBe(0);
  });
});
