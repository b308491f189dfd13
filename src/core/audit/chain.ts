// What a line of the audit log holds and how it is chained to the one before it.

import { createHash } from 'node:crypto';
import type { Severity, Tier, Verdict } from '../types';

/** How a decision was reached. */
export type DecidedBy = 'auto' | 'typed' | 'wrong-name' | 'dismissed' | 'timeout' | 'cancelled' | 'unreachable' | 'ticket' | 'policy';

export interface AuditEntry {
  time: string;
  workspace?: string;
  tier: Tier;
  freeze?: boolean;
  /** Where the command came from: terminal, task, exec (a guarded program run by a script), hook:<agent>, files. */
  source: string;
  terminal?: string;
  cwd?: string;
  command: string;
  rules: string[];
  resource: string | null;
  severity?: Severity;
  decision: Verdict;
  /** The final outcome: allowed to run or not. */
  outcome: 'ran' | 'held' | 'refused';
  decidedBy: DecidedBy;
  /** Who approved, for typed approvals. */
  approver?: string;
  agent?: string;
  /** The agent's stated reason, where one reached us. */
  why?: string;
  sessionId?: string;
  reason?: string;
}

export interface ChainedEntry extends AuditEntry {
  prev: string;
  hash: string;
  /**
   * Bytes of unreadable data (a line torn by a crash, closed off by this append) between the previous entry and this
   * one. Part of the hashed content, so junk that appears anywhere else — a forged half-line — breaks verification.
   */
  gap?: number;
}

/** The log's head, kept in a file beside the log: what the last append left, so cuts at the end are visible. */
export interface AuditHead {
  /** Entries written so far. */
  lines: number;
  /** The last entry's hash. */
  hash: string;
  /** The log's size in bytes after that entry. */
  size: number;
}

export const GENESIS = '0'.repeat(64);
const MAX_FIELD = 8192;

export function hashEntry(prev: string, entry: Omit<ChainedEntry, 'prev' | 'hash'>): string {
  return createHash('sha256').update(prev).update('\n').update(canonical(entry)).digest('hex');
}

/** JSON with sorted keys, so the hash does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function clip(entry: AuditEntry): AuditEntry {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' && v.length > MAX_FIELD ? v.slice(0, MAX_FIELD) + `… (${v.length} chars)` : v;
  }
  return out as unknown as AuditEntry;
}

export function parseLine(line: string): ChainedEntry | null {
  if (!line.trim() || line[0] !== '{') return null;
  try {
    const v = JSON.parse(line) as ChainedEntry;
    return typeof v === 'object' && v && typeof v.hash === 'string' && typeof v.prev === 'string' ? v : null;
  } catch {
    return null;
  }
}

/** Whether a parsed line's hash matches its content and the given predecessor. */
export function entryIsIntact(e: ChainedEntry): boolean {
  const { hash, prev, ...rest } = e;
  return hashEntry(prev, rest) === hash;
}

export function parseHead(text: string): AuditHead | null {
  try {
    const v = JSON.parse(text) as AuditHead;
    return Number.isSafeInteger(v.lines) && v.lines >= 0 && typeof v.hash === 'string' && Number.isSafeInteger(v.size) && v.size >= 0 ? v : null;
  } catch {
    return null;
  }
}
