import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { isHolderGone, newOwnerId } from '../../src/cases/case-owner.js';

const NOW = new Date('2026-05-01T12:00:00.000Z');
const FRESH = '2026-05-01T11:59:55.000Z';
const STALE = '2026-05-01T11:59:00.000Z';

describe('isHolderGone', () => {
  const self = newOwnerId();

  it('names the owner host:pid:instance', () => {
    expect(self).toMatch(
      new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${process.pid}:[0-9a-f]{8}$`),
    );
    expect(newOwnerId()).not.toBe(self);
  });

  it('a case without holder or heartbeat is orphaned', () => {
    expect(isHolderGone({ owner: null, heartbeatAt: FRESH }, self, NOW, 30_000)).toBe(true);
    expect(isHolderGone({ owner: 'h:1:x', heartbeatAt: null }, self, NOW, 30_000)).toBe(true);
  });

  it('a stale heartbeat means gone, wherever the holder ran', () => {
    expect(isHolderGone({ owner: 'far-away:12:abcd0000', heartbeatAt: STALE }, self, NOW, 30_000)).toBe(true);
    expect(isHolderGone({ owner: 'far-away:12:abcd0000', heartbeatAt: FRESH }, self, NOW, 30_000)).toBe(
      false,
    );
    expect(isHolderGone({ owner: 'far-away:12:abcd0000', heartbeatAt: 'garbage' }, self, NOW, 30_000)).toBe(
      true,
    );
  });

  it('on this host, a fresh holder is gone only when its process is', () => {
    const alive = `${hostname()}:${process.ppid}:abcd0001`;
    const dead = `${hostname()}:99999999:abcd0002`;
    const samePid = `${hostname()}:${process.pid}:abcd0003`;
    expect(isHolderGone({ owner: alive, heartbeatAt: FRESH }, self, NOW, 30_000)).toBe(false);
    expect(isHolderGone({ owner: dead, heartbeatAt: FRESH }, self, NOW, 30_000)).toBe(true);
    // Another service in this very process (or an earlier pid incarnation): the heartbeat decides.
    expect(isHolderGone({ owner: samePid, heartbeatAt: FRESH }, self, NOW, 30_000)).toBe(false);
    expect(isHolderGone({ owner: samePid, heartbeatAt: STALE }, self, NOW, 30_000)).toBe(true);
  });

  it('counts itself gone only once its heartbeat went stale (a case it could not finish)', () => {
    expect(isHolderGone({ owner: self, heartbeatAt: FRESH }, self, NOW, 30_000)).toBe(false);
    expect(isHolderGone({ owner: self, heartbeatAt: STALE }, self, NOW, 30_000)).toBe(true);
  });
});
