/**
 * Who holds a case while it is queued or running: `host:pid:instance`. Recovery uses it to tell a case
 * whose process died from one another live process is working on (several API processes may share one
 * PostgreSQL): a holder is gone when its heartbeat is stale, or at once when it ran on this host and its
 * process no longer exists. A holder with this process's own pid but another instance is left to the
 * heartbeat: it may be a second service in this process, or an earlier incarnation of the pid (a container
 * restarted as pid 1), and only the heartbeat tells them apart. That includes this very service: a case it
 * failed to finish (its store was down) and no longer beats for is recovered like any other.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/** A fresh owner id for this process. */
export function newOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export interface HolderSeen {
  owner: string | null;
  heartbeatAt: string | null;
}

/**
 * Whether the holder of an unfinished case is gone, as seen from `self`.
 * @param staleAfterMs a heartbeat older than this means the holder is gone.
 */
export function isHolderGone(holder: HolderSeen, self: string, now: Date, staleAfterMs: number): boolean {
  if (holder.owner === null || holder.heartbeatAt === null) return true;
  const heartbeat = Date.parse(holder.heartbeatAt);
  if (Number.isNaN(heartbeat) || now.getTime() - heartbeat > staleAfterMs) return true;
  const [host, pid] = parseOwner(holder.owner);
  const [selfHost, selfPid] = parseOwner(self);
  if (host !== selfHost || pid === undefined || pid === selfPid) return false;
  return !processExists(pid);
}

function parseOwner(owner: string): [string, number | undefined] {
  const parts = owner.split(':');
  if (parts.length < 3) return [owner, undefined];
  const pid = Number(parts[parts.length - 2]);
  return [parts.slice(0, -2).join(':'), Number.isInteger(pid) && pid > 0 ? pid : undefined];
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
