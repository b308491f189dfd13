// Writing a file whole, through a rename: the temporary file beside it is created here, exclusively, under a name no
// other process can guess, so a link planted at a temporary name (`settings.json.<pid>.tmp` pointing at a file of an
// agent's choosing) is never written through, and a reader sees the old file or the new one, never half of it.

import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, utimesSync, writeSync } from 'node:fs';

export interface ReplaceOptions {
  /** Flush the data to the disk before the rename (a log whose loss would lose history). */
  fsync?: boolean;
  /** The modification time to give the file (a restored version keeps its own). */
  mtime?: Date;
  /** Replace whatever is under FILE's name, a folder included (the gate's own files). */
  anything?: boolean;
}

/** A temporary name beside FILE that no other process can guess. */
export function unguessableBeside(file: string): string {
  return `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

/** Puts DATA in FILE with MODE through a rename from a temporary file this call creates exclusively (see above). */
export function replaceFile(file: string, data: string | Uint8Array, mode = 0o600, options: ReplaceOptions = {}): void {
  const tmp = unguessableBeside(file);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      // The mode asked for, whatever the umask left of it.
      fchmodSync(fd, mode);
      if (options.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.mtime) utimesSync(tmp, options.mtime, options.mtime);
    try {
      renameSync(tmp, file);
    } catch (e) {
      if (!options.anything) throw e;
      rmSync(file, { recursive: true, force: true });
      renameSync(tmp, file);
    }
  } finally {
    rmSync(tmp, { force: true });
  }
}
