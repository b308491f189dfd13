// What a command would overwrite or empty, read from the files it takes: the members of a tar or zip archive, the
// files a patch deletes or leaves empty. Bounded reads; undefined when the file cannot be read, so callers decide.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Archives larger than this (compressed) are not read when their members can only be found by inflating them. */
const MAX_INFLATE_BYTES = 8 * 1024 * 1024;
const MAX_MEMBERS = 20000;

/** Up to `length` bytes of an open file from `position` (fewer at its end). */
export function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let n = 0;
  while (n < length) {
    const r = readSync(fd, buf, n, length - n, position + n);
    if (r <= 0) break;
    n += r;
  }
  return buf.subarray(0, n);
}

function cString(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return (nul < 0 ? slice : slice.subarray(0, nul)).toString('utf8');
}

/** Regular-file members of a tar stream, walked header by header (ustar prefix, GNU long names, pax path). */
function tarMembers(read: (length: number, position: number) => Buffer): string[] | undefined {
  const out: string[] = [];
  let pos = 0;
  let longName: string | undefined;
  for (let count = 0; count < MAX_MEMBERS; count++) {
    const h = read(512, pos);
    if (h.length < 512) return count ? out : undefined;
    if (h.every((b) => b === 0)) return out;
    const magic = h.subarray(257, 262).toString('latin1');
    const sizeText = cString(h, 124, 12).trim();
    if (!/^[0-7]*$/.test(sizeText) || (count === 0 && magic !== 'ustar' && !/^[0-7]+$/.test(cString(h, 148, 8).trim()))) return undefined;
    const size = parseInt(sizeText || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const body = pos + 512;
    pos = body + Math.ceil(size / 512) * 512;
    if (type === 'L' || type === 'x') {
      const text = read(Math.min(size, 64 * 1024), body).toString('utf8');
      longName = type === 'L' ? text.replace(/\0.*$/s, '') : /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1];
      continue;
    }
    const prefix = magic === 'ustar' ? cString(h, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${cString(h, 0, 100)}` : cString(h, 0, 100));
    longName = undefined;
    if (type === '0' || type === '7' || type === '1' || type === '2') out.push(name);
  }
  return out;
}

/** File members of a zip archive, from its central directory (no inflating). */
function zipMembers(fd: number, size: number): string[] | undefined {
  const tailLength = Math.min(size, 65557);
  const tail = readAt(fd, tailLength, size - tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) {
    eocd = i;
    break;
  }
  if (eocd < 0) return undefined;
  const entries = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  if (dirSize > 16 * 1024 * 1024 || dirOffset + dirSize > size) return undefined;
  const dir = readAt(fd, dirSize, dirOffset);
  const out: string[] = [];
  let p = 0;
  for (let i = 0; i < Math.min(entries, MAX_MEMBERS) && p + 46 <= dir.length; i++) {
    if (dir.readUInt32LE(p) !== 0x02014b50) return undefined;
    const nameLength = dir.readUInt16LE(p + 28);
    const name = dir.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    if (!name.endsWith('/')) out.push(name);
    p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
  }
  return out;
}

/**
 * The file members of an archive (plain or gzip tar, zip), as stored; undefined when the file cannot be read or is
 * in a format read here only by inflating more than the bound (xz, bzip2, zstd, large gzip).
 */
export function archiveMembers(abs: string): string[] | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const head = readAt(fd, 4, 0);
    if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return zipMembers(fd, st.size);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      if (st.size > MAX_INFLATE_BYTES) return undefined;
      // zlib is required here, on first use: loading it costs the gate's start-up about 10 ms.
      const data = (require('node:zlib') as typeof import('node:zlib')).gunzipSync(readAt(fd, st.size, 0), { maxOutputLength: 64 * 1024 * 1024 });
      return tarMembers((length, position) => data.subarray(position, position + length));
    }
    const file = fd;
    return tarMembers((length, position) => readAt(file, length, position));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface PatchLoss {
  /** The path as the patch names it, before stripping. */
  path: string;
  how: 'deleted' | 'emptied';
}

/** A unified diff's path word: `a/data/x`, `"quoted name"`, with a tab-separated timestamp dropped. */
function diffPath(line: string): string {
  const p = line.slice(4).split('\t')[0].trim();
  return p.startsWith('"') && p.endsWith('"') ? p.slice(1, -1) : p;
}

/**
 * Files a unified diff (patch, git apply) deletes or leaves with no lines, applied forwards or with `-R`. The new side
 * is `/dev/null`, git says `deleted file mode`, or a hunk's new range is `+0,0`.
 */
export function patchLosses(diff: string, reverse: boolean): PatchLoss[] {
  const out: PatchLoss[] = [];
  let oldPath: string | undefined;
  let newPath: string | undefined;
  let gitDeleted = false;
  let gitCreated = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) {
      gitDeleted = gitCreated = false;
      oldPath = newPath = undefined;
    } else if (line.startsWith('deleted file mode')) gitDeleted = true;
    else if (line.startsWith('new file mode')) gitCreated = true;
    else if (line.startsWith('--- ')) oldPath = diffPath(line);
    else if (line.startsWith('+++ ')) {
      newPath = diffPath(line);
      const gone = reverse ? oldPath === '/dev/null' || gitCreated : newPath === '/dev/null' || gitDeleted;
      const name = reverse ? newPath : oldPath;
      if (gone && name && name !== '/dev/null') out.push({ path: name, how: 'deleted' });
    } else if (line.startsWith('@@ ')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) continue;
      const [start, count] = reverse ? [m[1], m[2]] : [m[3], m[4]];
      const name = (reverse ? newPath : oldPath) ?? newPath;
      const target = name === '/dev/null' ? (reverse ? oldPath : newPath) : name;
      if (start === '0' && count === '0' && target && target !== '/dev/null' && !out.some((o) => o.path === target)) out.push({ path: target, how: 'emptied' });
    }
  }
  return out;
}

/** A patch path with its first `strip` folders removed (`patch -p1`, git's default). */
export function stripPath(path: string, strip: number): string {
  const parts = path.split('/');
  return strip > 0 && parts.length > strip ? parts.slice(strip).join('/') : path;
}
