// Which editor windows are running a gate, so a hook started outside a terminal (Copilot, Cursor, Codex run hooks
// from their own processes) can find the window whose workspace holds its cwd. Files are owner-only.

import { readdirSync, readFileSync, readlinkSync, unlinkSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import type { Tier } from '../core/types';
import type { GateAddress } from './client';
import { realDir, replaceWith } from './placeFile';

export interface WindowEntry extends GateAddress {
  pid: number;
  folders: string[];
  started: string;
  /** The window's environment label, so a hook started outside its terminals classifies as the window would. */
  tier?: Tier;
}

export function registryDir(stateDir: string): string {
  return join(stateDir, 'windows');
}

export function registerWindow(dir: string, entry: WindowEntry): string {
  realDir(dir, 0o700);
  const file = join(dir, `${entry.pid}-${entry.port}.json`);
  replaceWith(file, JSON.stringify(entry), 0o600);
  return file;
}

export function unregisterWindow(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function contains(folder: string, path: string): boolean {
  const r = relative(folder, path);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/**
 * Whether `pid` is the process listening on 127.0.0.1:`port` (Linux: the socket's inode in /proc/net/tcp among the
 * process's open files). Elsewhere, and where /proc cannot be read, only that the process is alive. An entry someone
 * wrote for a listener of their own under another process's pid, or one left by a window whose port is now someone
 * else's, is not a window.
 */
export function listensOn(pid: number, port: number, platform: NodeJS.Platform = process.platform): boolean {
  if (!alive(pid)) return false;
  if (platform !== 'linux') return true;
  let table: string;
  try {
    table = readFileSync('/proc/net/tcp', 'utf8');
  } catch {
    return true;
  }
  const want = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    // sl local_address rem_address st … inode (column 9); st 0A is LISTEN.
    if (f[1] === want && f[3] === '0A' && f[9]) inodes.add(f[9]);
  }
  if (!inodes.size) return false;
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    // Gone, or another user's process whose files cannot be listed: not a window of ours.
    return false;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m && inodes.has(m[1])) return true;
    } catch {
      /* closed meanwhile */
    }
  }
  return false;
}

function readEntry(file: string): WindowEntry | null {
  try {
    const e = JSON.parse(readFileSync(file, 'utf8')) as WindowEntry;
    return e && typeof e.pid === 'number' && typeof e.port === 'number' && typeof e.token === 'string' && Array.isArray(e.folders) ? e : null;
  } catch {
    return null;
  }
}

/**
 * Registered windows whose process is alive (entries of dead processes are removed), split by whether the process owns
 * its gate's port. Only a verified window is asked; an unverified one may still raise the tier, never lower it.
 */
export function registeredWindows(dir: string, verify: (e: WindowEntry) => boolean = (e) => listensOn(e.pid, e.port)): { verified: WindowEntry[]; unverified: WindowEntry[] } {
  const out = { verified: [] as WindowEntry[], unverified: [] as WindowEntry[] };
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return out;
  }
  for (const n of names) {
    const entry = readEntry(join(dir, n));
    if (!entry) continue;
    if (!alive(entry.pid)) {
      unregisterWindow(join(dir, n));
      continue;
    }
    (verify(entry) ? out.verified : out.unverified).push(entry);
  }
  return out;
}

/** Every registered window whose process is alive and owns its gate's port. */
export function liveWindows(dir: string): WindowEntry[] {
  return registeredWindows(dir).verified;
}

/** Registered windows that hold cwd but do not own their port (a window whose gate stopped, or a planted entry). */
export function unverifiedWindows(dir: string, cwd: string): WindowEntry[] {
  return registeredWindows(dir).unverified.filter((w) => w.folders.some((f) => typeof f === 'string' && contains(f, cwd)));
}

/** The live window whose workspace folder most closely contains cwd. */
export function findWindow(dir: string, cwd: string, windows: WindowEntry[] = liveWindows(dir)): WindowEntry | null {
  let best: { entry: WindowEntry; depth: number } | null = null;
  for (const entry of windows) {
    for (const f of entry.folders) {
      if (typeof f === 'string' && contains(f, cwd) && (!best || f.length > best.depth)) best = { entry, depth: f.length };
    }
  }
  return best?.entry ?? null;
}

/** The live window that owns this gate address: a port and token from an environment are trusted only if one does. */
export function windowForGate(dir: string, gate: GateAddress, windows: WindowEntry[] = liveWindows(dir)): WindowEntry | null {
  return windows.find((w) => w.port === gate.port && w.token === gate.token) ?? null;
}
