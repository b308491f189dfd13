// What a snapshot is: its limits, entries, manifest and the results of taking and restoring one.

export const MB = 1024 * 1024;

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
