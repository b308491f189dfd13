// Copies what is about to be deleted into a private store outside the workspace, so a person can put it back.
// Node only: the editor's delete participant and the terminal gate's beforeRun both call it.

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants as FS, createReadStream, mkdirSync, readdirSync, readFileSync, statSync, chmodSync, lstatSync, realpathSync, Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, parse as parsePath, relative, resolve, sep } from 'node:path';
import { expand, Invocation } from '../core/parse/invocation';
import { isCatastrophicPath, isRegenerable } from '../core/rules/fs';
import type { Decision, Finding } from '../core/types';

const MB = 1024 * 1024;

export interface SnapshotLimits {
  /** A file larger than this is not copied. */
  maxFileBytes: number;
  /** One snapshot stops copying at this many bytes. */
  maxSnapshotBytes: number;
  /** The whole store: the oldest snapshots are pruned to stay under it. */
  maxStoreBytes: number;
  /** Files, folders and links in one snapshot. */
  maxFiles: number;
}

export const DEFAULT_SNAPSHOT_LIMITS: Readonly<SnapshotLimits> = { maxFileBytes: 50 * MB, maxSnapshotBytes: 500 * MB, maxStoreBytes: 2048 * MB, maxFiles: 100_000 };

export type EntryKind = 'file' | 'dir' | 'symlink';

export interface SnapshotEntry {
  /** Where it was: absolute, as on disk. */
  path: string;
  kind: EntryKind;
  size: number;
  /** Permission bits (`st_mode & 0o7777`). */
  mode: number;
  mtimeMs: number;
  /** Where the copy is, relative to `<id>/files`. */
  stored: string;
  /** A symlink's target, as written (never followed). */
  target?: string;
}

export interface SkippedPath {
  path: string;
  reason: string;
}

export interface SnapshotManifest {
  version: 1;
  id: string;
  time: string;
  source: string;
  command?: string;
  workspace?: string;
  cwd: string;
  /** The paths asked for, resolved. */
  roots: string[];
  entries: SnapshotEntry[];
  /** What was not copied and why (the first 1000; `skippedCount` has them all). */
  skipped: SkippedPath[];
  skippedCount: number;
  bytes: number;
  /** A limit or the deadline stopped the walk before everything was seen. */
  truncated: boolean;
}

export interface SnapshotInfo {
  id: string;
  time: string;
  source: string;
  command?: string;
  workspace?: string;
  roots: string[];
  /** Files and symlinks copied. */
  files: number;
  folders: number;
  bytes: number;
  skipped: number;
  truncated: boolean;
  dir: string;
}

export interface SnapshotResult {
  /** null when nothing could be copied (everything missing or skipped): no snapshot is kept. */
  id: string | null;
  files: number;
  folders: number;
  bytes: number;
  skipped: SkippedPath[];
  skippedCount: number;
  truncated: boolean;
  /** Older snapshots removed to keep the store under its limit. */
  pruned: string[];
  ms: number;
}

/** One line for the approval box and the shell: what the snapshot holds, and what it could not copy and why. */
export function snapshotSummary(r: SnapshotResult): string {
  const total = r.files + r.skippedCount;
  const size = r.bytes >= 1024 * 1024 ? `${(r.bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(r.bytes / 1024)} KB`;
  if (!r.id) return r.skippedCount ? `Snapshot: nothing could be copied (${r.skipped[0]?.reason ?? 'skipped'}) — what it deletes is not recoverable.` : 'Snapshot: nothing to copy.';
  if (!r.skippedCount) return `Snapshot: copied all ${r.files} ${r.files === 1 ? 'file' : 'files'} (${size}) it deletes; restorable.`;
  return `Snapshot: copied ${r.files} of ${total} files (${size}): ${r.skipped[0]?.reason ?? 'the rest were skipped'} — the rest is not recoverable.`;
}

/** Copies what a command deletes before it runs (or before a person is asked); returns the line for the box. Never throws. */
export async function snapshotBeforeDelete(
  store: SnapshotStore,
  req: { decision: Decision; cwd: string; source: string },
  opts: { workspace?: string; log: (line: string) => void; describe?: (r: SnapshotResult, what: string) => string; timeoutMs?: number },
): Promise<string | undefined> {
  const what = `"${req.decision.command}"`;
  try {
    const plan = store.planSnapshot(req);
    for (const s of plan.skipped) opts.log(`snapshot: not copying ${s.path} before ${what}: ${s.reason}`);
    if (!plan.paths.length) return undefined;
    const r = await store.snapshot(plan.paths, { cwd: req.cwd, source: req.source, command: req.decision.command, workspace: opts.workspace, timeoutMs: opts.timeoutMs ?? 60_000 });
    if (opts.describe) opts.log(opts.describe(r, what));
    return snapshotSummary(r);
  } catch (e) {
    opts.log(`snapshot before ${what} failed: ${(e as Error).message}`);
    return `Snapshot failed (${(e as Error).message}) — what it deletes is not recoverable.`;
  }
}

export interface SnapshotOptions {
  cwd: string;
  source: string;
  command?: string;
  /** The workspace folder: paths inside it are stored relative to it, others as an absolute-path mirror. */
  workspace?: string;
  /** Stop copying after this long (the editor delays a delete for at most `files.participants.timeout`). */
  timeoutMs?: number;
}

export type RestoreOutcome = 'restored' | 'overwritten' | 'identical' | 'exists' | 'failed';

export interface RestoreFileResult {
  path: string;
  kind: EntryKind;
  outcome: RestoreOutcome;
  error?: string;
}

export interface RestoreResult {
  id: string;
  results: RestoreFileResult[];
  restored: number;
  overwritten: number;
  /** Left alone because something different is there and overwrite was not given. */
  kept: number;
  failed: number;
}

export interface RestoreOptions {
  overwrite: boolean;
  /** Original paths (files or folders) to restore; everything when absent. */
  only?: string[];
}

export interface StoreOptions {
  limits?: Partial<SnapshotLimits> | (() => Partial<SnapshotLimits>);
  now?: () => Date;
}

/** What `pathsToSnapshot` would copy for a decision, and what it leaves out with the reason. */
export interface SnapshotPlan {
  paths: string[];
  skipped: SkippedPath[];
}

export interface PlanOptions {
  /** Ask `git clean --dry-run` which files `git clean` would remove (default true). */
  git?: boolean;
  home?: string;
  /** Paths never to snapshot (the store itself). */
  exclude?: string[];
}

const MAX_SKIPPED_LISTED = 1000;
const COPY_PARALLEL = 32;
const RESTORE_PARALLEL = 16;
const ID_PATTERN = /^[0-9]{8}-[0-9]{9}-[0-9a-f]{6}$/;

function fmtMB(bytes: number): string {
  return `${Math.round((bytes / MB) * 10) / 10} MB`;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith('..' + sep));
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e);
}

function describeError(e: unknown): string {
  const code = errCode(e);
  const words: Record<string, string> = { ENOENT: 'gone before it could be copied', EACCES: 'not readable (permission denied)', EPERM: 'not readable (operation not permitted)', ENOSPC: 'the disk is full', ELOOP: 'too many symlink levels' };
  return words[code] ?? code;
}

async function runPool<T>(items: readonly T[], parallel: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

async function sha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function sameBytes(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([fsp.stat(a), fsp.stat(b)]);
  if (sa.size !== sb.size) return false;
  return (await sha256(a)) === (await sha256(b));
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fsp.lstat(p);
  } catch {
    return null;
  }
}

/** Collects entries and reasons while walking, keeping the limits. */
class Walk {
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

export class SnapshotStore {
  private readonly limitsSource: StoreOptions['limits'];
  private readonly now: () => Date;

  constructor(
    readonly dir: string,
    options: StoreOptions = {},
  ) {
    this.limitsSource = options.limits;
    this.now = options.now ?? (() => new Date());
  }

  /** The limits in force, with defaults for anything unset or not a positive number. */
  get limits(): SnapshotLimits {
    const given = (typeof this.limitsSource === 'function' ? this.limitsSource() : this.limitsSource) ?? {};
    const out = { ...DEFAULT_SNAPSHOT_LIMITS };
    for (const k of Object.keys(out) as (keyof SnapshotLimits)[]) {
      const v = given[k];
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[k] = v;
    }
    return out;
  }

  /** Creates the store folder, private to this user. */
  ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    try {
      chmodSync(this.dir, 0o700);
    } catch {
      /* not ours to change (e.g. Windows ACLs): the folder still works */
    }
  }

  /** Copies paths (files, folders, symlinks as links) into a new snapshot. Never throws for a path it cannot copy. */
  async snapshot(paths: string[], opts: SnapshotOptions): Promise<SnapshotResult> {
    const started = Date.now();
    const limits = this.limits;
    const id = this.newId();
    const snapDir = join(this.dir, id);
    const filesDir = join(snapDir, 'files');
    const workspace = opts.workspace ? resolve(opts.workspace) : undefined;
    const roots = dedupeNested(paths.map((p) => resolve(opts.cwd, p)));
    const walk = new Walk(
      limits,
      Math.min(limits.maxSnapshotBytes, limits.maxStoreBytes),
      (abs) => storedPathFor(abs, workspace),
      (abs) => isInside(abs, this.dir),
      started + (opts.timeoutMs ?? Infinity),
    );
    for (const r of roots) await walk.root(r);

    const result: SnapshotResult = { id: null, files: 0, folders: 0, bytes: 0, skipped: walk.skipped, skippedCount: walk.skippedCount, truncated: walk.truncated, pruned: [], ms: 0 };
    if (!walk.entries.length) {
      result.ms = Date.now() - started;
      return result;
    }
    this.ensureDir();
    mkdirSync(filesDir, { recursive: true, mode: 0o700 });

    const kept: SnapshotEntry[] = [];
    const failed = new Set<SnapshotEntry>();
    // Folders first (parents before children: the walk is pre-order), then files and links in parallel.
    for (const { entry } of walk.entries) {
      if (entry.kind !== 'dir') continue;
      try {
        await fsp.mkdir(join(filesDir, entry.stored), { recursive: true, mode: 0o700 });
      } catch (e) {
        failed.add(entry);
        walk.skip(entry.path, `could not be stored: ${describeError(e)}`);
      }
    }
    const made = new Set<string>();
    await runPool(
      walk.entries.filter((x) => x.entry.kind !== 'dir'),
      COPY_PARALLEL,
      async ({ entry, from }) => {
        const to = join(filesDir, entry.stored);
        try {
          const parent = dirname(to);
          if (!made.has(parent)) {
            await fsp.mkdir(parent, { recursive: true, mode: 0o700 });
            made.add(parent);
          }
          if (entry.kind === 'file') await fsp.copyFile(from, to, FS.COPYFILE_EXCL | FS.COPYFILE_FICLONE);
          else {
            // The manifest holds the target; the link in the store is only for a person browsing the folder.
            await fsp.symlink(entry.target!, to).catch(() => undefined);
          }
        } catch (e) {
          failed.add(entry);
          walk.skip(entry.path, describeError(e));
        }
      },
    );
    for (const { entry } of walk.entries) if (!failed.has(entry)) kept.push(entry);

    const bytes = kept.reduce((n, e) => n + (e.kind === 'file' ? e.size : 0), 0);
    const manifest: SnapshotManifest = {
      version: 1,
      id,
      time: this.now().toISOString(),
      source: opts.source,
      ...(opts.command !== undefined ? { command: opts.command } : {}),
      ...(workspace ? { workspace } : {}),
      cwd: opts.cwd,
      roots,
      entries: kept,
      skipped: walk.skipped,
      skippedCount: walk.skippedCount,
      bytes,
      truncated: walk.truncated,
    };
    const info = toInfo(manifest, snapDir);
    await writeJsonAtomic(join(snapDir, 'manifest.json'), manifest);
    // Written last: a folder with info.json is a complete snapshot.
    await writeJsonAtomic(join(snapDir, 'info.json'), { ...info, dir: undefined });

    Object.assign(result, { id, files: info.files, folders: info.folders, bytes, skippedCount: walk.skippedCount, truncated: walk.truncated });
    result.pruned = await this.pruneToSize(limits.maxStoreBytes, id);
    result.ms = Date.now() - started;
    return result;
  }

  /** Complete snapshots, newest first. */
  list(): SnapshotInfo[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: SnapshotInfo[] = [];
    for (const name of names) {
      if (!ID_PATTERN.test(name)) continue;
      try {
        const info = JSON.parse(readFileSync(join(this.dir, name, 'info.json'), 'utf8')) as SnapshotInfo;
        if (info.id !== name) continue;
        out.push({ ...info, dir: join(this.dir, name) });
      } catch {
        /* still being written, or damaged: not listed */
      }
    }
    return out.sort((a, b) => (a.time === b.time ? b.id.localeCompare(a.id) : b.time.localeCompare(a.time)));
  }

  manifest(id: string): SnapshotManifest {
    if (!ID_PATTERN.test(id)) throw new Error(`not a snapshot id: ${id}`);
    return JSON.parse(readFileSync(join(this.dir, id, 'manifest.json'), 'utf8')) as SnapshotManifest;
  }

  /** Original paths of files and links in the snapshot that exist now and differ from the copy. */
  async existing(id: string, only?: string[]): Promise<string[]> {
    const m = this.manifest(id);
    const filesDir = join(this.dir, id, 'files');
    const out: string[] = [];
    for (const e of selectEntries(m.entries, only)) {
      if (e.kind === 'dir') {
        const st = await lstatOrNull(e.path);
        if (st && !st.isDirectory()) out.push(e.path);
        continue;
      }
      const st = await lstatOrNull(e.path);
      if (!st) continue;
      if (await isIdentical(e, st, join(filesDir, e.stored))) continue;
      out.push(e.path);
    }
    return out;
  }

  /** Puts entries back at their original paths. Existing files that differ are kept unless overwrite is given. */
  async restore(id: string, opts: RestoreOptions): Promise<RestoreResult> {
    const m = this.manifest(id);
    const filesDir = join(this.dir, id, 'files');
    const selected = selectEntries(m.entries, opts.only).sort((a, b) => a.path.localeCompare(b.path));
    const results: RestoreFileResult[] = [];
    const createdDirs: SnapshotEntry[] = [];
    const report = (e: SnapshotEntry, outcome: RestoreOutcome, error?: string): void => {
      results.push({ path: e.path, kind: e.kind, outcome, ...(error ? { error } : {}) });
    };

    for (const e of selected.filter((x) => x.kind === 'dir')) {
      const st = await lstatOrNull(e.path);
      if (st?.isDirectory()) continue;
      try {
        if (st) {
          if (!opts.overwrite) {
            report(e, 'exists', 'a file is where the folder was');
            continue;
          }
          await fsp.unlink(e.path);
        }
        await fsp.mkdir(e.path, { recursive: true, mode: 0o700 });
        createdDirs.push(e);
        report(e, st ? 'overwritten' : 'restored');
      } catch (err) {
        report(e, 'failed', describeError(err));
      }
    }

    const made = new Set<string>();
    await runPool(
      selected.filter((x) => x.kind !== 'dir'),
      RESTORE_PARALLEL,
      async (e) => {
        const from = join(filesDir, e.stored);
        if (!isInside(from, filesDir)) return report(e, 'failed', 'the manifest points outside the snapshot');
        const st = await lstatOrNull(e.path);
        try {
          if (st) {
            if (st.isDirectory()) return report(e, 'exists', 'a folder is where the file was');
            if (await isIdentical(e, st, from)) return report(e, 'identical');
            if (!opts.overwrite) return report(e, 'exists');
          }
          const parent = dirname(e.path);
          if (!made.has(parent)) {
            await fsp.mkdir(parent, { recursive: true });
            made.add(parent);
          }
          if (e.kind === 'symlink') {
            if (st) await fsp.unlink(e.path);
            await fsp.symlink(e.target!, e.path);
          } else if (!st) {
            await fsp.copyFile(from, e.path, FS.COPYFILE_EXCL);
            await fsp.chmod(e.path, e.mode);
            await fsp.utimes(e.path, new Date(), new Date(e.mtimeMs));
          } else {
            // Copy next to the target, then rename over it: an overwrite is never half done, and never follows a link.
            const tmp = join(parent, `.${basename(e.path)}.agent-guard-restore-${randomBytes(4).toString('hex')}`);
            try {
              await fsp.copyFile(from, tmp, FS.COPYFILE_EXCL);
              await fsp.chmod(tmp, e.mode);
              await fsp.utimes(tmp, new Date(), new Date(e.mtimeMs));
              await fsp.rename(tmp, e.path);
            } catch (err) {
              await fsp.rm(tmp, { force: true }).catch(() => undefined);
              throw err;
            }
          }
          report(e, st ? 'overwritten' : 'restored');
        } catch (err) {
          report(e, 'failed', describeError(err));
        }
      },
    );
    results.sort((a, b) => a.path.localeCompare(b.path));

    // Folder permissions last, deepest first: a read-only folder would have refused its own children.
    for (const e of createdDirs.sort((a, b) => b.path.length - a.path.length)) {
      await fsp.chmod(e.path, e.mode).catch(() => undefined);
      await fsp.utimes(e.path, new Date(), new Date(e.mtimeMs)).catch(() => undefined);
    }
    const count = (o: RestoreOutcome) => results.filter((r) => r.outcome === o).length;
    return { id, results, restored: count('restored'), overwritten: count('overwritten'), kept: count('exists'), failed: count('failed') };
  }

  /** Removes snapshots older than `days`; returns their ids. */
  async pruneOlderThan(days: number): Promise<string[]> {
    if (!(days > 0)) return [];
    const cutoff = this.now().getTime() - days * 86_400_000;
    const old = this.list().filter((s) => Date.parse(s.time) < cutoff);
    for (const s of old) await this.remove(s.id);
    await this.removeAbandoned();
    return old.map((s) => s.id);
  }

  /** Removes the oldest snapshots until the store is under `maxBytes`; `keep` is never removed. */
  async pruneToSize(maxBytes = this.limits.maxStoreBytes, keep?: string): Promise<string[]> {
    const all = this.list().reverse(); // oldest first
    let total = all.reduce((n, s) => n + s.bytes, 0);
    const removed: string[] = [];
    for (const s of all) {
      if (total <= maxBytes) break;
      if (s.id === keep) continue;
      await this.remove(s.id);
      total -= s.bytes;
      removed.push(s.id);
    }
    return removed;
  }

  async remove(id: string): Promise<void> {
    if (!ID_PATTERN.test(id)) throw new Error(`not a snapshot id: ${id}`);
    const d = join(this.dir, id);
    // Drop info.json first so a half-removed snapshot is never listed.
    await fsp.rm(join(d, 'info.json'), { force: true });
    await fsp.rm(d, { recursive: true, force: true });
  }

  /** What to snapshot before an approved command runs (see `planSnapshot`), never the store itself. */
  pathsToSnapshot(req: { decision: Decision; cwd: string }): string[] {
    return this.planSnapshot(req).paths;
  }

  planSnapshot(req: { decision: Decision; cwd: string }, options: PlanOptions = {}): SnapshotPlan {
    return planSnapshot(req, { ...options, exclude: [...(options.exclude ?? []), this.dir] });
  }

  /** Folders left by a snapshot that never finished (a crash), a day later. */
  private async removeAbandoned(): Promise<void> {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    const dayAgo = Date.now() - 86_400_000;
    for (const name of names) {
      if (!ID_PATTERN.test(name)) continue;
      const d = join(this.dir, name);
      try {
        statSync(join(d, 'info.json'));
      } catch {
        try {
          if (statSync(d).mtimeMs < dayAgo) await fsp.rm(d, { recursive: true, force: true });
        } catch {
          /* gone already */
        }
      }
    }
  }

  private newId(): string {
    const t = this.now().toISOString(); // 2025-03-14T10:15:02.123Z
    return `${t.slice(0, 10).replace(/-/g, '')}-${t.slice(11, 23).replace(/[:.]/g, '')}-${randomBytes(3).toString('hex')}`;
  }
}

async function isIdentical(e: SnapshotEntry, st: Stats, stored: string): Promise<boolean> {
  if (e.kind === 'symlink') return st.isSymbolicLink() && (await fsp.readlink(e.path).catch(() => null)) === e.target;
  if (e.kind === 'file') return st.isFile() && st.size === e.size && (await sameBytes(e.path, stored).catch(() => false));
  return st.isDirectory();
}

/** The entries under the given paths, plus the folders above them (so their permissions come back too). */
function selectEntries(entries: SnapshotEntry[], only?: string[]): SnapshotEntry[] {
  if (!only) return entries.slice();
  const wanted = new Set(only.map((p) => resolve(p)));
  const above = new Set<string>();
  for (const w of wanted) for (let d = dirname(w); !above.has(d); d = dirname(d)) above.add(d);
  const under = (p: string) => {
    for (let d = p; ; d = dirname(d)) {
      if (wanted.has(d)) return true;
      if (dirname(d) === d) return false;
    }
  };
  return entries.filter((e) => under(e.path) || (e.kind === 'dir' && above.has(e.path)));
}

function toInfo(m: SnapshotManifest, dir: string): SnapshotInfo {
  return {
    id: m.id,
    time: m.time,
    source: m.source,
    ...(m.command !== undefined ? { command: m.command } : {}),
    ...(m.workspace ? { workspace: m.workspace } : {}),
    roots: m.roots,
    files: m.entries.filter((e) => e.kind !== 'dir').length,
    folders: m.entries.filter((e) => e.kind === 'dir').length,
    bytes: m.bytes,
    skipped: m.skippedCount,
    truncated: m.truncated,
    dir,
  };
}

async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await fsp.rename(tmp, path);
}

/** `workspace/<relative>` inside the workspace folder, else `absolute/<drive>/<path>`. */
export function storedPathFor(abs: string, workspace?: string): string {
  if (workspace && isInside(abs, workspace)) return join('workspace', relative(workspace, abs));
  const p = parsePath(abs);
  const drive = p.root.replace(/[:\\/]/g, '');
  return join('absolute', drive, abs.slice(p.root.length));
}

/** In their first order, without duplicates or paths inside another one in the list. */
function dedupeNested(paths: string[]): string[] {
  const all = new Set(paths);
  const coveredByAncestor = (p: string) => {
    for (let d = dirname(p); ; d = dirname(d)) {
      if (all.has(d)) return true;
      if (dirname(d) === d) return false;
    }
  };
  return [...all].filter((p) => !coveredByAncestor(p));
}

// ---- which paths a command deletes ------------------------------------------------------------------------------

/** Engine rules whose resources are local paths the command deletes or overwrites. */
export const DELETE_RULES: ReadonlySet<string> = new Set(['fs.recursive-delete', 'fs.delete', 'fs.find-delete', 'fs.truncate', 'fs.shred', 'fs.move-to-null', 'git.clean']);

/** Local absolute paths a decision's delete findings name; `skipped` says why anything was left out. */
export function planSnapshot(req: { decision: Decision; cwd: string }, options: PlanOptions = {}): SnapshotPlan {
  const paths: string[] = [];
  const seen = new Set<string>();
  const skipped: SkippedPath[] = [];
  const home = options.home ?? homedir();
  const exclude = (options.exclude ?? []).map((p) => resolve(p));
  const add = (abs: string, written: string) => {
    if (exclude.some((x) => isInside(abs, x))) skipped.push({ path: written, reason: 'inside the snapshot store' });
    else if (!seen.has(abs)) {
      seen.add(abs);
      paths.push(abs);
    }
  };
  for (const f of req.decision.findings) {
    if (!DELETE_RULES.has(f.rule)) continue;
    if ((f as Finding & { origin?: string }).origin === 'remote') {
      skipped.push({ path: f.resource, reason: 'runs on another machine' });
      continue;
    }
    if (f.resource.includes('(paths from stdin)')) {
      skipped.push({ path: f.resource, reason: 'the paths arrive on standard input' });
      continue;
    }
    const invs = safeExpand(f.command);
    let cwd = req.cwd;
    if (f.rule === 'git.clean') {
      const git = invs.find((i) => i.program === 'git' && i.args.includes('clean'));
      const clean = git ? parseGitClean(git) : null;
      if (!clean) {
        skipped.push({ path: f.resource, reason: 'git options that move the work tree (--git-dir, --work-tree) are not followed' });
        continue;
      }
      cwd = clean.dirs.reduce((d, c) => resolve(d, c), req.cwd);
      if (options.git !== false) {
        const listed = gitCleanDryRun(cwd, clean);
        if (listed) {
          for (const p of listed) {
            if (isRegenerable(p)) skipped.push({ path: p, reason: 'a folder that tools regenerate' });
            else add(resolve(cwd, p), p);
          }
          continue;
        }
      }
    }
    for (const token of splitResource(f.resource, invs)) {
      const r = resolveToken(token, cwd, home);
      if ('reason' in r) skipped.push({ path: token, reason: r.reason });
      else for (const p of r.paths) add(p, token);
    }
  }
  return { paths: dedupeNested(paths), skipped };
}

/** Local absolute paths to snapshot before an approved command runs. */
export function pathsToSnapshot(req: { decision: Decision; cwd: string }, options?: PlanOptions): string[] {
  return planSnapshot(req, options).paths;
}

function safeExpand(command: string): Invocation[] {
  try {
    return expand(command).invocations;
  } catch {
    return [];
  }
}

/**
 * A resource is paths joined by spaces; the command's own arguments tell a path with a space in it ("my data")
 * from two paths, and a rule's stand-in (`rm`, `rm {}`) from a path.
 */
function splitResource(resource: string, invs: Invocation[]): string[] {
  const args = new Set<string>();
  const programs = new Set<string>();
  for (const inv of invs) {
    programs.add(inv.program);
    for (const a of inv.args) args.add(a);
  }
  const byLength = [...args].filter((a) => a.includes(' ')).sort((a, b) => b.length - a.length);
  const out: string[] = [];
  let rest = resource;
  while (rest.length) {
    const spaced = byLength.find((a) => rest === a || rest.startsWith(a + ' '));
    const token = spaced ?? rest.split(' ')[0];
    rest = rest.slice(token.length).replace(/^ +/, '');
    if (!token || token === '{}') continue;
    if (programs.has(token) && !args.has(token)) continue; // a stand-in such as `rm {}` or `mv /dev/null`
    out.push(token);
  }
  return out;
}

const VIRTUAL = /^\/(dev|proc|sys)(\/|$)/;

/** One written path -> absolute local paths, or why it is left out. */
function resolveToken(token: string, cwd: string, home: string): { paths: string[] } | { reason: string } {
  if (/[$`]/.test(token)) return { reason: 'only known when the command runs (a variable or substitution)' };
  if (/^[^/\\]*:/.test(token) && !/^[A-Za-z]:([\\/]|$)/.test(token)) return { reason: 'a remote path (host:path)' };
  if (/\{[^}]*,[^}]*\}/.test(token)) return { reason: 'a brace pattern' };
  if (token.startsWith('~') && !/^~(\/|$)/.test(token)) return { reason: "another user's home folder" };
  const written = token.startsWith('~') ? home + token.slice(1) : token;
  if (isCatastrophicPath(token) || isCatastrophicPath(written)) return { reason: 'the whole machine, a home folder or a system folder: too large to snapshot' };
  if (isRegenerable(token)) return { reason: 'a folder that tools regenerate' };
  let abs = resolve(cwd, written);
  if (VIRTUAL.test(abs)) return { reason: 'a device or virtual file system' };
  if (isCatastrophicPath(abs) || abs === home) return { reason: 'the whole machine, a home folder or a system folder: too large to snapshot' };
  if (/[*?[]/.test(written)) return expandTrailingGlob(abs);
  // `rm -rf link/` deletes what the link points at; without the slash only the link goes.
  if (/[\\/]$/.test(written)) {
    try {
      if (lstatSync(abs).isSymbolicLink()) abs = realpathSync(abs);
    } catch {
      /* missing: the snapshot records it */
    }
  }
  return { paths: [abs] };
}

/** `dir/*`, `dir/*.log`: a literal folder and `*` in the last part only, matched as the shell would (no dotfiles). */
function expandTrailingGlob(abs: string): { paths: string[] } | { reason: string } {
  const dir = dirname(abs);
  const pattern = basename(abs);
  if (/[*?[]/.test(dir) || /[?[\]]/.test(pattern)) return { reason: 'a pattern too complex to expand safely' };
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+^${}()|\\]/g, '\\$&')).join('.*') + '$');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { reason: 'a pattern in a folder that cannot be read' };
  }
  const hits = names.filter((n) => re.test(n) && (pattern.startsWith('.') || !n.startsWith('.'))).sort();
  return hits.length ? { paths: hits.map((n) => join(dir, n)) } : { reason: 'a pattern that matches nothing' };
}

interface GitClean {
  /** `-C` folders, in order. */
  dirs: string[];
  flags: string[];
  excludes: string[];
  paths: string[];
}

/** The parts of `git [-C d] clean …` that decide what it removes; null when git is pointed elsewhere. */
function parseGitClean(inv: Invocation): GitClean | null {
  const a = inv.args;
  const dirs: string[] = [];
  let i = 0;
  for (; i < a.length && a[i] !== 'clean'; i++) {
    if (a[i] === '-C') dirs.push(a[++i] ?? '.');
    else if (a[i] === '-c') i++;
    else if (a[i].startsWith('--git-dir') || a[i].startsWith('--work-tree')) return null;
  }
  const out: GitClean = { dirs, flags: [], excludes: [], paths: [] };
  for (i++; i < a.length; i++) {
    const w = a[i];
    if (w === '--') {
      out.paths.push(...a.slice(i + 1));
      break;
    }
    if (w === '-e' || w === '--exclude') out.excludes.push(a[++i] ?? '');
    else if (w.startsWith('--exclude=')) out.excludes.push(w.slice(10));
    else if (w === '--force') out.flags.push('-f');
    else if (w.startsWith('--')) continue;
    else if (w.startsWith('-')) {
      for (let k = 1; k < w.length; k++) {
        const c = w[k];
        if (c === 'e') {
          out.excludes.push(w.slice(k + 1) || (a[++i] ?? ''));
          break;
        }
        if ('dxXf'.includes(c)) out.flags.push('-' + c);
      }
    } else out.paths.push(w);
  }
  return out;
}

/** What `git clean` would remove, asked of git itself; null when git cannot say. */
function gitCleanDryRun(cwd: string, c: GitClean): string[] | null {
  try {
    // Never run a repository's configured programs from the extension (fsmonitor, hooks).
    const args = ['-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false', 'clean', '--dry-run', ...c.flags, ...c.excludes.flatMap((e) => ['-e', e]), '--', ...c.paths];
    const out = execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 10_000, maxBuffer: 64 * MB, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    return out
      .split('\n')
      .filter((l) => l.startsWith('Would remove '))
      .map((l) => unquoteGitPath(l.slice('Would remove '.length)));
  } catch {
    return null;
  }
}

/** git quotes unusual names C-style: "a\"b\303\251". */
function unquoteGitPath(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"')) return s;
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      bytes.push(...Buffer.from(body[i], 'utf8'));
      continue;
    }
    const n = body[++i];
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(esc[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
