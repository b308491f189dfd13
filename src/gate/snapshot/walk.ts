// Walks the paths a snapshot copies, keeping the size, count and per-file limits and the reason for each skip.

import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import type { Stats } from 'node:fs';
import type { SkippedPath, SnapshotEntry, SnapshotLimits } from './types';
import { describeError, errCode, fmtMB } from './util';

const MAX_SKIPPED_LISTED = 1000;

/** Collects entries and reasons while walking, keeping the limits. */
export class Walk {
  readonly entries: { entry: SnapshotEntry; from: string }[] = [];
  readonly skipped: SkippedPath[] = [];
  skippedCount = 0;
  bytes = 0;
  truncated = false;
  private readonly seen = new Set<string>();

  constructor(
    private readonly limits: SnapshotLimits,
    private readonly budget: number,
    private readonly storedFor: (abs: string) => string,
    private readonly excluded: (abs: string) => boolean,
    private readonly deadline: number,
  ) {}

  skip(path: string, reason: string): void {
    this.skippedCount++;
    if (this.skipped.length < MAX_SKIPPED_LISTED) this.skipped.push({ path, reason });
  }

  private full(path: string): boolean {
    if (Date.now() > this.deadline) {
      if (!this.truncated) this.skip(path, 'ran out of time: this and the rest were not copied');
      this.truncated = true;
      return true;
    }
    if (this.entries.length >= this.limits.maxFiles) {
      if (!this.truncated) this.skip(path, `more than ${this.limits.maxFiles} files: this and the rest were not copied`);
      this.truncated = true;
      return true;
    }
    return false;
  }

  async root(path: string): Promise<void> {
    let st: Stats;
    try {
      st = await fsp.lstat(path);
    } catch (e) {
      this.skip(path, errCode(e) === 'ENOENT' ? 'does not exist' : describeError(e));
      return;
    }
    await this.visit(path, st);
  }

  private async visit(path: string, st: Stats): Promise<void> {
    if (this.truncated || this.full(path)) return;
    if (this.seen.has(path)) return;
    this.seen.add(path);
    if (this.excluded(path)) return this.skip(path, 'inside the snapshot store');
    const base = { path, size: st.size, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs, stored: this.storedFor(path) };
    if (st.isSymbolicLink()) {
      try {
        this.entries.push({ entry: { ...base, kind: 'symlink', target: await fsp.readlink(path) }, from: path });
      } catch (e) {
        this.skip(path, describeError(e));
      }
      return;
    }
    if (st.isFile()) {
      if (st.size > this.limits.maxFileBytes) return this.skip(path, `larger than ${fmtMB(this.limits.maxFileBytes)} (agentGuard.snapshots.maxFileSizeMB)`);
      if (this.bytes + st.size > this.budget) return this.skip(path, `the snapshot reached ${fmtMB(this.budget)} (agentGuard.snapshots.maxSnapshotSizeMB)`);
      this.bytes += st.size;
      this.entries.push({ entry: { ...base, kind: 'file' }, from: path });
      return;
    }
    if (!st.isDirectory()) {
      const what = st.isFIFO() ? 'a pipe' : st.isSocket() ? 'a socket' : 'a device';
      return this.skip(path, `${what}, not a file`);
    }
    this.entries.push({ entry: { ...base, size: 0, kind: 'dir' }, from: path });
    let names: string[];
    try {
      names = (await fsp.readdir(path)).sort();
    } catch (e) {
      return this.skip(path, `folder ${describeError(e)}`);
    }
    // lstat a batch of children at once; walk them in name order so limits cut deterministically.
    for (let i = 0; i < names.length && !this.truncated; i += 64) {
      const batch = names.slice(i, i + 64).map((n) => join(path, n));
      const stats = await Promise.all(batch.map((p) => fsp.lstat(p).catch((e: unknown) => e as Error)));
      for (let j = 0; j < batch.length && !this.truncated; j++) {
        const s = stats[j];
        if (s instanceof Error) this.skip(batch[j], describeError(s));
        else await this.visit(batch[j], s);
      }
    }
  }
}
