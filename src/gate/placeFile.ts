// Files the gate lays down in folders a same-user process can also write (the shell folder, the window registry):
// what is in place is kept only when it is exactly what would be written, and what is written never goes through a
// name another process prepared (a link at a temporary name, a FIFO, a second name of another file).

import { chmodSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { replaceFile } from '../core/replaceFile';

/**
 * FILE's bytes when it is a regular file of its own (not a link, nor a second name of another file) with MODE and at
 * most MAX bytes, else undefined. It is opened without following a link and without waiting: a FIFO in its place
 * answers at once, and is not a file.
 */
export function ownFile(file: string, mode: number, max: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(fd);
    if (!st.isFile() || st.nlink !== 1 || (st.mode & 0o7777) !== mode || st.size > max) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether FILE is a regular file of its own with MODE and DATA (see ownFile). */
export function holds(file: string, data: Buffer, mode: number): boolean {
  return ownFile(file, mode, data.length)?.equals(data) ?? false;
}

/**
 * Puts DATA in FILE with MODE through a rename from a temporary file created exclusively under an unguessable name (a
 * reader of the old file keeps it; no link planted beside FILE is written through). Anything under FILE's name (a
 * link, a folder, a FIFO) is replaced.
 */
export function replaceWith(file: string, data: Buffer | string, mode: number): void {
  replaceFile(file, data, mode, { anything: true });
}

/** Puts DATA in FILE with MODE unless FILE holds exactly that already (see holds): a start with it in place writes nothing. */
export function placeFile(file: string, data: Buffer, mode: number): void {
  if (!holds(file, data, mode)) replaceWith(file, data, mode);
}

/** Makes DIR a real folder with MODE: a link or a file under its name is removed first (a link would lead the writes elsewhere). */
export function realDir(dir: string, mode: number): void {
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory()) rmSync(dir, { force: true });
  } catch {
    // Absent: made below.
  }
  mkdirSync(dir, { recursive: true, mode });
  chmodSync(dir, mode);
}
