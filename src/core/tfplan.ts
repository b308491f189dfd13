// A saved Terraform/OpenTofu plan, read offline: a zip holding `tfplan`, a protobuf `Plan` (planfile.proto). Only what
// says whether applying it destroys is read: the planning mode (field 17, DESTROY = 1) and each resource change's
// address (13) and action (change 9 → action 1; DELETE 5, DELETE_THEN_CREATE 6, CREATE_THEN_DELETE 7).

import { closeSync, fstatSync, openSync } from 'node:fs';
import { readAt } from './overwrites';

const MAX_PLAN_BYTES = 32 * 1024 * 1024;
const DESTROYING_ACTIONS = new Set([5, 6, 7]);

export interface SavedPlan {
  /** Made with `plan -destroy` (or `destroy -out`). */
  destroyMode: boolean;
  /** Addresses of the resource instances the plan deletes or replaces. */
  destroys: string[];
}

/** A varint at pos: [value, next position]; undefined when the bytes end first. */
function varint(buf: Buffer, pos: number): [number, number] | undefined {
  let value = 0;
  let shift = 0;
  for (let i = pos; i < buf.length && shift < 64; i++) {
    value += (buf[i] & 0x7f) * 2 ** shift;
    if (!(buf[i] & 0x80)) return [value, i + 1];
    shift += 7;
  }
  return undefined;
}

/** Each field of one protobuf message: number, wire type, and the value (a number, or the bytes of a length field). */
function* fields(buf: Buffer): Generator<{ no: number; wire: number; num?: number; bytes?: Buffer }> {
  let pos = 0;
  while (pos < buf.length) {
    const key = varint(buf, pos);
    if (!key) throw new Error('truncated key');
    const no = Math.floor(key[0] / 8);
    const wire = key[0] % 8;
    pos = key[1];
    if (wire === 0) {
      const v = varint(buf, pos);
      if (!v) throw new Error('truncated varint');
      pos = v[1];
      yield { no, wire, num: v[0] };
    } else if (wire === 2) {
      const len = varint(buf, pos);
      if (!len || len[1] + len[0] > buf.length) throw new Error('truncated field');
      yield { no, wire, bytes: buf.subarray(len[1], len[1] + len[0]) };
      pos = len[1] + len[0];
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`wire type ${wire}`);
  }
}

/** The plan's mode and destroying changes, from the protobuf bytes of `tfplan`. */
export function readPlanMessage(buf: Buffer): SavedPlan {
  const out: SavedPlan = { destroyMode: false, destroys: [] };
  for (const f of fields(buf)) {
    if (f.no === 17 && f.wire === 0) out.destroyMode = f.num === 1;
    if (f.no !== 3 || !f.bytes) continue;
    let addr = '';
    let action = 0;
    for (const g of fields(f.bytes)) {
      if (g.no === 13 && g.bytes) addr = g.bytes.toString('utf8');
      if (g.no === 9 && g.bytes) for (const h of fields(g.bytes)) if (h.no === 1 && h.wire === 0) action = h.num ?? 0;
    }
    if (DESTROYING_ACTIONS.has(action)) out.destroys.push(addr || '(unnamed)');
  }
  return out;
}

/** The `tfplan` member of a saved plan file, inflated; undefined when the file is not such a zip or too large. */
function tfplanBytes(abs: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const size = fstatSync(fd).size;
    if (size > MAX_PLAN_BYTES || size < 22) return undefined;
    const all = readAt(fd, size, 0);
    if (all.readUInt32LE(0) !== 0x04034b50) return undefined;
    let eocd = -1;
    for (let i = all.length - 22; i >= Math.max(0, all.length - 65557); i--) if (all.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
    if (eocd < 0) return undefined;
    let p = all.readUInt32LE(eocd + 16);
    for (let i = 0; i < all.readUInt16LE(eocd + 10) && p + 46 <= all.length; i++) {
      if (all.readUInt32LE(p) !== 0x02014b50) return undefined;
      const method = all.readUInt16LE(p + 10);
      const compressed = all.readUInt32LE(p + 20);
      const nameLength = all.readUInt16LE(p + 28);
      const local = all.readUInt32LE(p + 42);
      const name = all.subarray(p + 46, p + 46 + nameLength).toString('utf8');
      p += 46 + nameLength + all.readUInt16LE(p + 30) + all.readUInt16LE(p + 32);
      if (name !== 'tfplan') continue;
      const start = local + 30 + all.readUInt16LE(local + 26) + all.readUInt16LE(local + 28);
      const data = all.subarray(start, start + compressed);
      // zlib loads on first use (see archiveMembers in overwrites.ts).
      return method === 0 ? data : method === 8 ? (require('node:zlib') as typeof import('node:zlib')).inflateRawSync(data, { maxOutputLength: 256 * 1024 * 1024 }) : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What applying a saved plan file destroys; undefined when it cannot be read as one. */
export function readSavedPlan(abs: string): SavedPlan | undefined {
  const bytes = tfplanBytes(abs);
  if (!bytes) return undefined;
  try {
    return readPlanMessage(bytes);
  } catch {
    return undefined;
  }
}
