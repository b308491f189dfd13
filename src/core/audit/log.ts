// The audit log: one JSON line per decision, each carrying the hash of the line before it, so an edited or deleted
// line is detectable. Appends take a lock and write one whole line; a torn line from a crash is never read back as valid.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
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
}

export const GENESIS = '0'.repeat(64);
const MAX_FIELD = 8192;
const LOCK_STALE_MS = 10_000;

export function hashEntry(prev: string, entry: AuditEntry): string {
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

function clip(entry: AuditEntry): AuditEntry {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) {
    if (v === undefined) continue;
    out[k] = typeof v === 'string' && v.length > MAX_FIELD ? v.slice(0, MAX_FIELD) + `… (${v.length} chars)` : v;
  }
  return out as unknown as AuditEntry;
}

/** Reads the last complete, valid line's hash from the end of the file. */
function lastHash(fd: number): string {
  const size = fstatSync(fd).size;
  let end = size;
  let carry = '';
  const chunk = 64 * 1024;
  while (end > 0) {
    const start = Math.max(0, end - chunk);
    const buf = Buffer.alloc(end - start);
    readSync(fd, buf, 0, buf.length, start);
    const text = buf.toString('utf8') + carry;
    const lines = text.split('\n');
    carry = start > 0 ? lines.shift() ?? '' : '';
    for (let i = lines.length - 1; i >= 0; i--) {
      // The last piece has no newline after it when a write was torn: never trust it.
      if (i === lines.length - 1 && end === size && !text.endsWith('\n')) continue;
      const h = parseLine(lines[i])?.hash;
      if (h) return h;
    }
    end = start;
  }
  if (carry) return parseLine(carry)?.hash ?? GENESIS;
  return GENESIS;
}

function parseLine(line: string): ChainedEntry | null {
  if (!line.trim()) return null;
  try {
    const v = JSON.parse(line) as ChainedEntry;
    return typeof v === 'object' && v && typeof v.hash === 'string' && typeof v.prev === 'string' ? v : null;
  } catch {
    return null;
  }
}

function withLock<T>(path: string, fn: () => T): T {
  const lock = path + '.lock';
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) unlinkSync(lock);
      } catch {
        /* another writer removed it first */
      }
      if (Date.now() > deadline) throw new Error(`audit log is locked by another writer: ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    return fn();
  } finally {
    try {
      unlinkSync(lock);
    } catch {
      /* already gone */
    }
  }
}

export class AuditLog {
  /** The file's size and last hash after our own last append: skips re-reading the tail when nobody else wrote. */
  private last: { size: number; hash: string } | null = null;

  constructor(readonly path: string) {}

  /** Appends one entry; returns it with its chain fields. */
  append(entry: AuditEntry): ChainedEntry {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    return withLock(this.path, () => {
      const fd = openSync(this.path, 'a+', 0o600);
      try {
        const size = fstatSync(fd).size;
        let needsNewline = false;
        if (size > 0) {
          const last = Buffer.alloc(1);
          readSync(fd, last, 0, 1, size - 1);
          needsNewline = last[0] !== 0x0a;
        }
        const prev = size === 0 ? GENESIS : this.last && this.last.size === size && !needsNewline ? this.last.hash : lastHash(fd);
        const clipped = clip(entry);
        const chained: ChainedEntry = { ...clipped, prev, hash: hashEntry(prev, clipped) };
        // One write of one whole line; a torn previous line is closed off first so it stays invalid on its own.
        const line = (needsNewline ? '\n' : '') + JSON.stringify(chained) + '\n';
        writeSync(fd, line);
        this.last = { size: size + Buffer.byteLength(line), hash: chained.hash };
        return chained;
      } finally {
        closeSync(fd);
      }
    });
  }

  /** The newest entries, newest last. Lines that are not valid entries are skipped. */
  tail(count: number): ChainedEntry[] {
    if (!existsSync(this.path)) return [];
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      const want = Math.min(size, Math.max(64 * 1024, count * 2048));
      const buf = Buffer.alloc(want);
      readSync(fd, buf, 0, want, size - want);
      const lines = buf.toString('utf8').split('\n');
      if (want < size) lines.shift();
      return lines.map(parseLine).filter((x): x is ChainedEntry => x !== null).slice(-count);
    } finally {
      closeSync(fd);
    }
  }

  verify(): VerifyResult {
    return verifyText(existsSync(this.path) ? readWhole(this.path) : '');
  }
}

function readWhole(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(size);
    readSync(fd, buf, 0, size, 0);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** The first line (1-based) where the chain breaks, and why. */
  broken?: { line: number; why: string };
  /** Lines cut short by a crash (the start of an entry, never completed). Reported, not counted as tampering. */
  tornLines?: number[];
}

export function verifyText(text: string): VerifyResult {
  const lines = text.split('\n');
  const torn = text.length > 0 && !text.endsWith('\n');
  let prev = GENESIS;
  let entries = 0;
  const tornLines: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (i === lines.length - 1) {
      if (torn) tornLines.push(i + 1);
      break;
    }
    if (!line.trim()) return { ok: false, entries, broken: { line: i + 1, why: 'empty line' } };
    const e = parseLine(line);
    if (!e) {
      // A torn line (the start of an entry) closed off by a later append: a crash, and the chain goes on past it.
      if (line.startsWith('{"') && i + 1 < lines.length && parseLine(lines[i + 1])?.prev === prev) {
        tornLines.push(i + 1);
        continue;
      }
      return { ok: false, entries, broken: { line: i + 1, why: 'not a valid entry' } };
    }
    if (e.prev !== prev) return { ok: false, entries, broken: { line: i + 1, why: 'does not follow the line before it (a line was removed, inserted or reordered)' } };
    const { hash, prev: _p, ...rest } = e;
    if (hashEntry(prev, rest) !== hash) return { ok: false, entries, broken: { line: i + 1, why: 'its content was changed after it was written' } };
    prev = hash;
    entries++;
  }
  return { ok: true, entries, ...(tornLines.length ? { tornLines } : {}) };
}
