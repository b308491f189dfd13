// A cross-process lock for the audit log that never waits on a dead holder and never breaks in on a live one.
//
// The lock file is created whole (written under a private name, then hard-linked into place), so it always names its
// holder: pid, host and the process's start time. A holder on this host whose process is gone (or whose pid now
// belongs to a newer process) is dead and its lock is taken over at once; a live holder is waited for, never timed out
// by age. Taking over is itself serialised by a second lock, so two waiters that both saw the dead holder cannot
// remove each other's fresh locks. Trying is non-blocking: callers in the extension wait with timers, never by
// blocking the event loop.

import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockOwner {
  pid: number;
  host: string;
  /** The process's start time (clock ticks since boot on Linux), to tell a reused pid from its first owner. */
  start?: string;
}

export type TryLock = { held: true; release(): void } | { held: false; owner: LockOwner | null };

let ownStart: string | undefined | null = null;

/** The start time of a process, from /proc on Linux; undefined elsewhere. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces and parentheses, so count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function self(): LockOwner {
  if (ownStart === null) ownStart = processStart(process.pid);
  return { pid: process.pid, host: hostname(), ...(ownStart ? { start: ownStart } : {}) };
}

function readOwner(path: string): LockOwner | null | 'gone' {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? v : null;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : null;
  }
}

/** Whether the owner is certainly dead: on this host, and its pid is gone or now names a different process. */
export function ownerIsDead(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  if (owner.start === undefined) return false;
  const now = processStart(owner.pid);
  return now !== undefined && now !== owner.start;
}

/** Creates `path` holding our identity, atomically; false when it exists. */
function create(path: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, JSON.stringify(self()), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
  }
}

function remove(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** Removes the lock at `path` if it still names `dead`, under the take-over lock. */
function takeOver(path: string, dead: LockOwner): void {
  const guard = `${path}.takeover`;
  if (!create(guard)) {
    const g = readOwner(guard);
    if (g !== 'gone' && g && ownerIsDead(g)) remove(guard); // a waiter died while taking over: rare, and brief
    return;
  }
  try {
    const now = readOwner(path);
    if (now !== 'gone' && now && now.pid === dead.pid && now.host === dead.host && now.start === dead.start) remove(path);
  } finally {
    remove(guard);
  }
}

/** One non-blocking attempt; a dead holder's lock is taken over and the attempt repeated once. */
export function tryLock(path: string): TryLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    if (create(path)) return { held: true, release: () => remove(path) };
    const owner = readOwner(path);
    if (owner === 'gone') continue;
    if (owner && ownerIsDead(owner)) {
      takeOver(path, owner);
      continue;
    }
    // An unreadable lock is one being written or a foreign file: treat it as held (the caller's wait is bounded).
    return { held: false, owner };
  }
  return { held: false, owner: null };
}
