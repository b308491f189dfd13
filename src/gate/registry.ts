// Which editor windows are running a gate, so a hook started outside a terminal (Copilot, Cursor, Codex run hooks
// from their own processes) can find the window whose workspace holds its cwd. Files are owner-only.

import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import type { Tier } from '../core/types';
import type { GateAddress } from './client';

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
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${entry.pid}-${entry.port}.json`);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
  renameSync(tmp, file);
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

/** The live window whose workspace folder most closely contains cwd; stale entries are removed. */
export function findWindow(dir: string, cwd: string): WindowEntry | null {
  let best: { entry: WindowEntry; depth: number } | null = null;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return null;
  }
  for (const n of names) {
    let entry: WindowEntry;
    try {
      entry = JSON.parse(readFileSync(join(dir, n), 'utf8'));
    } catch {
      continue;
    }
    if (!entry || typeof entry.pid !== 'number' || !Array.isArray(entry.folders)) continue;
    if (!alive(entry.pid)) {
      unregisterWindow(join(dir, n));
      continue;
    }
    for (const f of entry.folders) {
      if (typeof f === 'string' && contains(f, cwd) && (!best || f.length > best.depth)) best = { entry, depth: f.length };
    }
  }
  return best?.entry ?? null;
}
