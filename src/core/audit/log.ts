// The audit log: one JSON line per decision, each carrying the hash of the line before it, so an edited, inserted or
// deleted line is detectable; a head file beside it records where the last append left the log, so lines cut from
// the end are detectable too. An append is all-or-nothing: a short or failed write is rolled back and reported,
// never counted as written. Appending costs the same whatever the file holds, and never blocks the event loop.

import { closeSync, constants, fstatSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { replaceFile } from '../replaceFile';
import { dirname } from 'node:path';
import { AuditEntry, AuditHead, ChainedEntry, clip, entryIsIntact, GENESIS, hashEntry, parseHead, parseLine } from './chain';
import { tryLock } from './lock';
import { verifyLog, VerifyResult } from './verify';

export { GENESIS, hashEntry } from './chain';
export type { AuditEntry, AuditHead, ChainedEntry, DecidedBy } from './chain';
export type { VerifyResult } from './verify';

/** How long an append waits for another live writer before it fails. */
const LOCK_WAIT_MS = 5000;
/**
 * The head file's width: its JSON padded with spaces (JSON.parse ignores them) to one length, so a new head is written
 * over the old one in place. Replacing it by a rename cost every append about 0.2 ms on ext4, which starts writing a
 * file renamed over another out at once.
 */
const HEAD_BYTES = 192;
const HEAD_OPEN = constants.O_RDWR | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);
/** At most this much of a legacy log (one without a head) is read back to find its last entry. */
const LEGACY_TAIL = 1024 * 1024;

export class AuditWriteError extends Error {}

/** Whether appends work, as last seen; watchers are told when it changes. */
export interface AuditHealth {
  ok: boolean;
  /** Why the last append failed. */
  error?: string;
  since: string;
}

/** Appends queued in this process per file, so one process's writers never contend for the cross-process lock. */
const queues = new Map<string, Promise<unknown>>();

export class AuditLog {
  readonly headPath: string;
  private health: AuditHealth = { ok: true, since: new Date().toISOString() };
  private readonly watchers = new Set<(h: AuditHealth) => void>();

  constructor(
    readonly path: string,
    private readonly lockWaitMs = LOCK_WAIT_MS,
  ) {
    this.headPath = `${path}.head`;
  }

  get status(): AuditHealth {
    return this.health;
  }

  onHealthChange(listener: (h: AuditHealth) => void): { dispose(): void } {
    this.watchers.add(listener);
    return { dispose: () => this.watchers.delete(listener) };
  }

  /** Appends one entry, waiting for other writers with timers; rejects with AuditWriteError when it cannot. */
  append(entry: AuditEntry): Promise<ChainedEntry> {
    const run = async (): Promise<ChainedEntry> => {
      const deadline = Date.now() + this.lockWaitMs;
      for (let delay = 1; ; delay = Math.min(delay * 2, 25)) {
        const r = this.attempt(entry);
        if (r !== 'busy') return r;
        if (Date.now() > deadline) throw this.failed(new AuditWriteError(`the audit log is locked by another live writer (${this.path}.lock) for over ${this.lockWaitMs / 1000} s`));
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    };
    const queued = (queues.get(this.path) ?? Promise.resolve()).then(run, run);
    const tail = queued.catch(() => undefined);
    queues.set(this.path, tail);
    void tail.then(() => queues.get(this.path) === tail && queues.delete(this.path));
    return queued;
  }

  /** The same, for short-lived processes (a hook, the CLI) where waiting blocks nothing else. */
  appendSync(entry: AuditEntry): ChainedEntry {
    const deadline = Date.now() + this.lockWaitMs;
    for (;;) {
      const r = this.attempt(entry);
      if (r !== 'busy') return r;
      if (Date.now() > deadline) throw this.failed(new AuditWriteError(`the audit log is locked by another live writer (${this.path}.lock) for over ${this.lockWaitMs / 1000} s`));
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }

  /** One try: 'busy' when a live writer holds the lock; throws AuditWriteError when the append failed. */
  private attempt(entry: AuditEntry): ChainedEntry | 'busy' {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const lock = tryLock(`${this.path}.lock`);
      if (!lock.held) return 'busy';
      try {
        const chained = this.write(entry);
        this.setHealth({ ok: true, since: new Date().toISOString() });
        return chained;
      } finally {
        lock.release();
      }
    } catch (e) {
      throw this.failed(e instanceof AuditWriteError ? e : new AuditWriteError(`cannot write the audit log ${this.path}: ${(e as Error).message}`));
    }
  }

  /** Under the lock: chain to the head, write one whole line, then the new head; undo the line if either fails. */
  private write(entry: AuditEntry): ChainedEntry {
    const fd = openSync(this.path, 'a+', 0o600);
    try {
      const size = fstatSync(fd).size;
      let head = this.readHead();
      if (!head) head = size === 0 ? { lines: 0, hash: GENESIS, size: 0 } : legacyHead(fd, size);
      // A writer that died between its line and its head left one valid line after the head: adopt it.
      if (size > head.size) head = adoptOrphan(fd, head, size);
      const behind = size > head.size ? size - head.size : 0;
      const needsNewline = behind > 0 && lastByte(fd, size) !== 0x0a;
      const gap = behind + (needsNewline ? 1 : 0);
      const clipped = clip(entry);
      const body = gap ? { ...clipped, gap } : clipped;
      const chained: ChainedEntry = { ...body, prev: head.hash, hash: hashEntry(head.hash, body) };
      const line = Buffer.from((needsNewline ? '\n' : '') + JSON.stringify(chained) + '\n');
      try {
        writeAll(fd, line);
        this.writeHead({ lines: head.lines + 1, hash: chained.hash, size: size + line.length });
      } catch (e) {
        try {
          ftruncateSync(fd, size); // all or nothing: no part of this line may stay behind
        } catch {
          /* the error below says the append failed either way */
        }
        throw new AuditWriteError(`cannot write the audit log ${this.path}: ${(e as Error).message}`);
      }
      return chained;
    } finally {
      closeSync(fd);
    }
  }

  private readHead(): AuditHead | null {
    try {
      return parseHead(readFileSync(this.headPath, 'utf8'));
    } catch {
      return null;
    }
  }

  /**
   * In place, one write of HEAD_BYTES at offset 0: a killed writer leaves the old head or the new one. A head that is
   * not a plain file of its own (a link to another file, planted to have it overwritten) is replaced instead.
   */
  private writeHead(head: AuditHead): void {
    const text = JSON.stringify(head);
    let fd = -1;
    try {
      if (text.length < HEAD_BYTES) fd = openSync(this.headPath, HEAD_OPEN, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOOP') throw e; // a symbolic link: replaced below
    }
    if (fd >= 0) {
      try {
        const st = fstatSync(fd);
        if (st.isFile() && st.nlink === 1) {
          if (writeSync(fd, padded(text), 0, HEAD_BYTES, 0) !== HEAD_BYTES) throw new Error('short write of the head');
          if (st.size > HEAD_BYTES) ftruncateSync(fd, HEAD_BYTES);
          return;
        }
      } finally {
        closeSync(fd);
      }
    }
    this.replaceHead(text);
  }

  private replaceHead(text: string): void {
    replaceFile(this.headPath, text.length < HEAD_BYTES ? padded(text) : text + '\n', 0o600);
  }

  private failed(e: AuditWriteError): AuditWriteError {
    this.setHealth({ ok: false, error: e.message, since: this.health.ok ? new Date().toISOString() : this.health.since });
    return e;
  }

  private setHealth(h: AuditHealth): void {
    const changed = h.ok !== this.health.ok || h.error !== this.health.error;
    this.health = h;
    if (changed) for (const w of this.watchers) w(h);
  }

  /** The newest entries, newest last. Lines that are not valid entries are skipped. */
  tail(count: number): ChainedEntry[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return [];
    }
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

  /** Streams the whole log (constant memory) and checks it against its head. */
  verify(): VerifyResult {
    let headText: string | undefined;
    let head: AuditHead | null = null;
    // A writer rewrites the head in place: a read that meets its write half done is read again.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        headText = readFileSync(this.headPath, 'utf8');
      } catch {
        headText = undefined;
      }
      head = headText === undefined ? null : parseHead(headText);
      if (headText === undefined || head) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
    if (headText !== undefined && !head) return { ok: false, entries: 0, broken: { line: 1, why: `the log's head file ${this.headPath} is damaged` } };
    return verifyLog(this.path, head);
  }
}

/** A head's JSON, padded with spaces to HEAD_BYTES (its last a newline). */
function padded(text: string): Buffer {
  const buf = Buffer.alloc(HEAD_BYTES, 0x20);
  buf.write(text, 0, 'latin1');
  buf[HEAD_BYTES - 1] = 0x0a;
  return buf;
}

function writeAll(fd: number, data: Buffer): void {
  let off = 0;
  while (off < data.length) {
    const n = writeSync(fd, data, off, data.length - off);
    if (n <= 0) throw new Error(`short write (${off} of ${data.length} bytes)`);
    off += n;
  }
}

function lastByte(fd: number, size: number): number {
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, size - 1);
  return b[0];
}

/** For a log written before heads existed: its last valid entry within the last MiB, counted as one line. */
function legacyHead(fd: number, size: number): AuditHead {
  const want = Math.min(size, LEGACY_TAIL);
  const buf = Buffer.alloc(want);
  readSync(fd, buf, 0, want, size - want);
  const text = buf.toString('utf8');
  const end = text.lastIndexOf('\n');
  const lines = text.slice(0, end + 1).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const e = parseLine(lines[i]);
    if (e && entryIsIntact(e)) return { lines: 0, hash: e.hash, size: size - want + Buffer.byteLength(lines.slice(0, i + 1).join('\n')) + 1 };
  }
  return { lines: 0, hash: GENESIS, size };
}

/** If the bytes after the head are exactly one whole entry that follows it, the head moves past that entry. */
function adoptOrphan(fd: number, head: AuditHead, size: number): AuditHead {
  const extra = size - head.size;
  if (extra > 256 * 1024) return head;
  const buf = Buffer.alloc(extra);
  readSync(fd, buf, 0, extra, head.size);
  const text = buf.toString('utf8');
  if (!text.endsWith('\n') || text.indexOf('\n') !== text.length - 1) return head;
  const e = parseLine(text.slice(0, -1));
  return e && e.prev === head.hash && !e.gap && entryIsIntact(e) ? { lines: head.lines + 1, hash: e.hash, size } : head;
}
