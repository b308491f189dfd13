// Copies what is about to be deleted into a private store outside the workspace, so a person can put it back.
// Node only: the editor's delete participant and the terminal gate's beforeRun both call it.

import { randomBytes } from 'node:crypto';
import { constants as FS, mkdirSync, readdirSync, readFileSync, statSync, chmodSync, Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join, parse as parsePath, relative, resolve } from 'node:path';
import type { Decision } from '../core/types';
import { planSnapshot } from './snapshot/plan';
import { type PlanOptions, type RestoreFileResult, type RestoreOptions, type RestoreOutcome, type RestoreResult, type SnapshotEntry, type SnapshotInfo, type SnapshotLimits, type SnapshotManifest, type SnapshotOptions, type SnapshotPlan, type SnapshotResult, type StoreOptions, DEFAULT_SNAPSHOT_LIMITS } from './snapshot/types';
import { dedupeNested, describeError, isInside, lstatOrNull, runPool, sameBytes } from './snapshot/util';
import { Walk } from './snapshot/walk';

export * from './snapshot/types';
export { DELETE_RULES, pathsToSnapshot, planSnapshot } from './snapshot/plan';

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

const COPY_PARALLEL = 32;
const RESTORE_PARALLEL = 16;
const ID_PATTERN = /^[0-9]{8}-[0-9]{9}-[0-9a-f]{6}$/;

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
  await fsp.writeFile(tmp, JSON.stringify(value), { mode: 0o600, flag: 'wx' });
  await fsp.rename(tmp, path);
}

/** `workspace/<relative>` inside the workspace folder, else `absolute/<drive>/<path>`. */
export function storedPathFor(abs: string, workspace?: string): string {
  if (workspace && isInside(abs, workspace)) return join('workspace', relative(workspace, abs));
  const p = parsePath(abs);
  const drive = p.root.replace(/[:\\/]/g, '');
  return join('absolute', drive, abs.slice(p.root.length));
}

