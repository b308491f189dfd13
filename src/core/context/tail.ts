// Reads only what was appended to a file since the last look: a transcript of 100 MB is read once, then by its new
// bytes. A truncated, replaced or rewritten file is noticed and read again from the start.

import { open, type FileHandle } from 'node:fs/promises';

/** Where the reader stands in one file. */
interface Cursor {
  dev: number;
  ino: number;
  /** Bytes consumed, including the partial line held below. */
  offset: number;
  /** The bytes of a line whose newline has not arrived yet. */
  partial: Buffer;
  /** True while skipping the rest of a line that grew past the size limit. */
  skipping: boolean;
  /** The last bytes before `offset`, to notice a file rewritten in place with the same or a larger size. */
  tail: Buffer;
  mtimeMs: number;
}

/** What the reader hands over: a reset (start again) and whole lines, without their newline. */
export interface LineSink {
  reset(): void;
  line(text: string): void;
  /** A line longer than the limit: skipped, counted by the parser as malformed. */
  oversized?(bytes: number): void;
}

export interface PollResult {
  /** The file was truncated, replaced or rewritten since the last poll, and was read again from the start. */
  reset: boolean;
  /** Bytes read in this poll (appended data plus the small tail check). */
  bytes: number;
  lines: number;
  /** The file does not exist (any more). */
  missing: boolean;
}

export interface TailReaderOptions {
  /** Bytes per read call. */
  chunkBytes?: number;
  /** A single line longer than this is skipped rather than held in memory. */
  maxLineBytes?: number;
}

const TAIL_CHECK = 64;
const NEWLINE = 0x0a;

export class TailReader {
  /** Number of read calls made, for the test and the bench that prove reads are incremental. */
  reads = 0;
  /** Bytes read in total. */
  bytesRead = 0;
  private readonly cursors = new Map<string, Cursor>();
  private readonly chunkBytes: number;
  private readonly maxLineBytes: number;

  constructor(options: TailReaderOptions = {}) {
    this.chunkBytes = options.chunkBytes ?? 4 * 1024 * 1024;
    this.maxLineBytes = options.maxLineBytes ?? 64 * 1024 * 1024;
  }

  /** Forgets a file, e.g. when its session is no longer shown. */
  forget(path: string): void {
    this.cursors.delete(path);
  }

  offsetOf(path: string): number | undefined {
    return this.cursors.get(path)?.offset;
  }

  /** Reads what was appended to `path` since the last poll and hands each complete line to `sink`. */
  async poll(path: string, sink: LineSink): Promise<PollResult> {
    const result: PollResult = { reset: false, bytes: 0, lines: 0, missing: false };
    let handle;
    try {
      handle = await open(path, 'r');
    } catch {
      if (this.cursors.delete(path)) {
        result.reset = true;
        sink.reset();
      }
      result.missing = true;
      return result;
    }
    let cur = this.cursors.get(path);
    try {
      // Stat the open file, not the path: a file renamed away and replaced in between is then seen as one file.
      const info = await handle.stat();
      if (cur && (cur.dev !== info.dev || cur.ino !== info.ino || info.size < cur.offset || (await this.rewritten(handle, cur, info.mtimeMs, result)))) {
        cur = undefined;
        result.reset = true;
        sink.reset();
      }
      if (!cur) {
        cur = { dev: info.dev, ino: info.ino, offset: 0, partial: Buffer.alloc(0), skipping: false, tail: Buffer.alloc(0), mtimeMs: info.mtimeMs };
        this.cursors.set(path, cur);
      }
      cur.mtimeMs = info.mtimeMs;
      // Read up to the size seen now; bytes appended meanwhile wait for the next poll.
      const end = info.size;
      const buf = Buffer.allocUnsafe(Math.min(this.chunkBytes, Math.max(1, end - cur.offset)));
      while (cur.offset < end) {
        const want = Math.min(buf.length, end - cur.offset);
        const { bytesRead } = await handle.read(buf, 0, want, cur.offset);
        this.reads++;
        this.bytesRead += bytesRead;
        result.bytes += bytesRead;
        if (bytesRead === 0) break; // shrank under us; the next poll resets
        cur.offset += bytesRead;
        result.lines += this.split(cur, buf.subarray(0, bytesRead), sink);
        cur.tail = lastBytes(cur.tail, buf.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
    return result;
  }

  /** True when the bytes just before our offset are no longer what we read there: the file was rewritten. */
  private async rewritten(handle: FileHandle, cur: Cursor, mtimeMs: number, result: PollResult): Promise<boolean> {
    if (cur.offset === 0 || cur.tail.length === 0) return false;
    if (mtimeMs === cur.mtimeMs) return false;
    const now = await this.readAt(handle, cur.offset - cur.tail.length, cur.tail.length, result);
    return !now.equals(cur.tail);
  }

  private async readAt(handle: FileHandle, position: number, length: number, result: PollResult): Promise<Buffer> {
    const b = Buffer.alloc(length);
    const { bytesRead } = await handle.read(b, 0, length, position);
    this.reads++;
    this.bytesRead += bytesRead;
    result.bytes += bytesRead;
    return b.subarray(0, bytesRead);
  }

  /** Splits a chunk at newlines; keeps the unfinished last line in `cur.partial`. Returns complete lines handed over. */
  private split(cur: Cursor, chunk: Buffer, sink: LineSink): number {
    let lines = 0;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) {
        if (cur.skipping) return lines;
        if (cur.partial.length + (chunk.length - start) > this.maxLineBytes) {
          sink.oversized?.(cur.partial.length + chunk.length - start);
          cur.partial = Buffer.alloc(0);
          cur.skipping = true;
        } else {
          cur.partial = cur.partial.length ? Buffer.concat([cur.partial, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
        }
        return lines;
      }
      if (cur.skipping) {
        cur.skipping = false;
      } else if (cur.partial.length + (nl - start) > this.maxLineBytes) {
        sink.oversized?.(cur.partial.length + nl - start);
        cur.partial = Buffer.alloc(0);
      } else {
        let text: string;
        if (cur.partial.length) {
          text = Buffer.concat([cur.partial, chunk.subarray(start, nl)]).toString('utf8');
          cur.partial = Buffer.alloc(0);
        } else {
          text = chunk.toString('utf8', start, nl);
        }
        if (text.length && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1); // CRLF
        if (text.length) {
          sink.line(text);
          lines++;
        }
      }
      start = nl + 1;
    }
    return lines;
  }
}

function lastBytes(before: Buffer, chunk: Buffer): Buffer {
  if (chunk.length >= TAIL_CHECK) return Buffer.from(chunk.subarray(chunk.length - TAIL_CHECK));
  const joined = Buffer.concat([before, chunk]);
  return joined.subarray(Math.max(0, joined.length - TAIL_CHECK));
}

/** Reads the first line of a file (up to `max` bytes) without reading the rest: enough to learn a session's cwd. */
export async function readFirstLine(path: string, max = 256 * 1024): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buf = Buffer.alloc(max);
    const { bytesRead } = await handle.read(buf, 0, max, 0);
    const nl = buf.subarray(0, bytesRead).indexOf(NEWLINE);
    return buf.toString('utf8', 0, nl === -1 ? bytesRead : nl);
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
