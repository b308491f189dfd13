// Verifies the audit log in one streaming pass (constant memory, any size): every line follows the one before it,
// its content is unchanged, unreadable bytes appear only where an append recorded them (a crash's torn line), and
// the file still ends where its head, kept beside it, says the last append left it.

import { closeSync, openSync, readSync } from 'node:fs';
import { AuditHead, entryIsIntact, GENESIS, parseLine } from './chain';

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** The first line (1-based) where the log is wrong, and why. */
  broken?: { line: number; why: string };
  /** Lines cut short by a crash (the start of an entry, never completed). Reported, not counted as tampering. */
  tornLines?: number[];
  /** Something a person should know that is not a break (the head one entry behind after a crash). */
  note?: string;
}

/** Lines longer than this are never entries (every field is clipped to 8 KiB); they are read past, not kept. */
const MAX_LINE = 1024 * 1024;
const CHUNK = 1024 * 1024;

export function verifyLog(path: string, head: AuditHead | null): VerifyResult {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { ok: false, entries: 0, broken: { line: 1, why: `cannot read the log: ${(e as Error).message}` } };
    if (head && head.lines > 0) return { ok: false, entries: 0, broken: { line: 1, why: `the log file was deleted: its head records ${head.lines} entries` } };
    return { ok: true, entries: 0 };
  }
  try {
    return scan(fd, head);
  } finally {
    closeSync(fd);
  }
}

function scan(fd: number, head: AuditHead | null): VerifyResult {
  let prev = GENESIS;
  let entries = 0;
  let lineNo = 0;
  /** Unreadable bytes since the last entry, and the lines they came in. */
  let junk = 0;
  let junkLines: number[] = [];
  const torn: number[] = [];
  const buf = Buffer.alloc(CHUNK);
  let parts: Buffer[] = [];
  let partLen = 0;
  let oversized = false;
  let pos = 0;
  let broken: VerifyResult['broken'];

  const line = (bytes: Buffer | null, length: number): void => {
    lineNo++;
    const e = bytes ? parseLine(bytes.toString('utf8')) : null;
    if (!e) {
      junk += length + 1;
      if (junkLines.length < 1000) junkLines.push(lineNo);
      return;
    }
    const gap = e.gap ?? 0;
    if (junk !== gap) {
      broken = junk > gap
        ? { line: junkLines[0], why: bytes && length === 0 ? 'empty line' : 'not a valid entry (no append recorded unreadable data here)' }
        : { line: lineNo, why: 'lines before it were removed (it records unreadable data that is no longer there)' };
      return;
    }
    if (e.prev !== prev) {
      broken = { line: lineNo, why: entries === 0 ? 'the log does not start at its first entry (earlier lines were removed)' : 'does not follow the line before it (a line was removed, inserted or reordered)' };
      return;
    }
    if (!entryIsIntact(e)) {
      broken = { line: lineNo, why: 'its content was changed after it was written' };
      return;
    }
    torn.push(...junkLines);
    junk = 0;
    junkLines = [];
    prev = e.hash;
    entries++;
  };

  for (;;) {
    const n = readSync(fd, buf, 0, CHUNK, pos);
    if (n === 0) break;
    pos += n;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl < 0 || nl >= n) break;
      const piece = buf.subarray(start, nl);
      const length = partLen + piece.length;
      if (oversized || length > MAX_LINE) line(null, length);
      else line(partLen ? Buffer.concat([...parts, piece]) : piece, length);
      parts = [];
      partLen = 0;
      oversized = false;
      start = nl + 1;
      if (broken) return { ok: false, entries, broken };
    }
    if (start < n) {
      const rest = buf.subarray(start, n);
      partLen += rest.length;
      if (partLen > MAX_LINE) {
        oversized = true;
        parts = [];
      } else parts.push(Buffer.from(rest));
    }
  }
  if (junkLines.length) return { ok: false, entries, broken: { line: junkLines[0], why: 'not a valid entry (no append recorded unreadable data here)' } };
  if (partLen > 0) torn.push(lineNo + 1); // a last line still without its end: a crash in the middle of an append
  const result: VerifyResult = { ok: true, entries, ...(torn.length ? { tornLines: torn } : {}) };

  if (!head) {
    if (entries === 0) return result;
    return { ok: false, entries, broken: { line: entries + 1, why: "the log's head file is missing, so removed lines at the end cannot be ruled out" } };
  }
  if (entries < head.lines) {
    const cut = head.lines - entries;
    return { ok: false, entries, broken: { line: lineNo + 1, why: `the log ends after ${entries} entries but ${head.lines} were written: the last ${cut} ${cut === 1 ? 'line was' : 'lines were'} removed or the file was truncated` } };
  }
  if (entries === head.lines && prev !== head.hash) return { ok: false, entries, broken: { line: lineNo, why: 'the last entry is not the one the log\'s head records (the end of the log was replaced)' } };
  if (entries > head.lines) result.note = `${entries - head.lines} entry(ies) after the head's record (a writer stopped before updating the head)`;
  return result;
}
