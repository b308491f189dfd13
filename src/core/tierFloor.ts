// The lowest environment a folder may be judged at, kept outside the workspace (in Agent Guard's state folder) so
// that what an agent does to the folder — moving `.vscode` away, rewriting its settings, deleting `.env.production` —
// cannot lower it. Hooks and the editor raise a folder's floor whenever they see it labelled higher; only the
// editor lowers it, after a person types the new label.
//
// <state>/tier-floors.json: { "<absolute folder>": { "tier": "production", "since": "<ISO time>" } }

import { mkdirSync, readFileSync } from 'node:fs';
import { replaceFile } from './replaceFile';
import { dirname, join, resolve } from 'node:path';
import { stricterTier, tierRank } from './environment';
import { parseTier, type Tier } from './types';

export interface FloorEntry {
  tier: Tier;
  since: string;
}

/** Far more folders than a person works in; past it the oldest floors of development and unknown go first. */
const MAX_FOLDERS = 5000;

export function floorFile(stateDir: string): string {
  return join(stateDir, 'tier-floors.json');
}

function readFloors(stateDir: string): Record<string, FloorEntry> {
  let text: string;
  try {
    text = readFileSync(floorFile(stateDir), 'utf8');
  } catch {
    return {};
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Record<string, FloorEntry> = {};
    for (const [k, e] of Object.entries(v as Record<string, { tier?: unknown; since?: unknown }>)) {
      const tier = parseTier(e?.tier);
      if (tier) out[k] = { tier, since: typeof e.since === 'string' ? e.since : '' };
    }
    return out;
  } catch {
    // A damaged file keeps no floor, and is rewritten by the next raise; the folder's own signals still count.
    return {};
  }
}

function writeFloors(stateDir: string, floors: Record<string, FloorEntry>): void {
  const path = floorFile(stateDir);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let keys = Object.keys(floors);
  if (keys.length > MAX_FOLDERS) {
    keys = keys.sort((a, b) => tierRank(floors[b].tier) - tierRank(floors[a].tier) || floors[b].since.localeCompare(floors[a].since)).slice(0, MAX_FOLDERS);
  }
  replaceFile(path, JSON.stringify(Object.fromEntries(keys.map((k) => [k, floors[k]])), null, 1) + '\n', 0o600);
}

/** The strictest floor kept for `cwd` or any folder above it, and the folder it was kept for. */
export function floorFor(stateDir: string, cwd: string): { tier: Tier; folder?: string } {
  const floors = readFloors(stateDir);
  let best: { tier: Tier; folder?: string } = { tier: 'unknown' };
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const f = floors[dir];
    if (f && tierRank(f.tier) > tierRank(best.tier)) best = { tier: f.tier, folder: dir };
    if (dirname(dir) === dir) break;
  }
  return best;
}

/** Keeps `tier` as the folder's floor if it is stricter than the one kept. Returns whether it changed. */
export function raiseFloor(stateDir: string, folder: string, tier: Tier, now = new Date()): boolean {
  if (tier === 'unknown') return false;
  const floors = readFloors(stateDir);
  const key = resolve(folder);
  const kept = floors[key]?.tier ?? 'unknown';
  if (stricterTier(kept, tier) === kept) return false;
  floors[key] = { tier, since: now.toISOString() };
  writeFloors(stateDir, floors);
  return true;
}

/** Sets the folder's floor, lower included: only after a person typed the new label in the editor. */
export function setFloorAfterTypedApproval(stateDir: string, folder: string, tier: Tier, now = new Date()): void {
  const floors = readFloors(stateDir);
  const key = resolve(folder);
  if (tier === 'unknown') delete floors[key];
  else floors[key] = { tier, since: now.toISOString() };
  writeFloors(stateDir, floors);
}
