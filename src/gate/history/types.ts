// What the local history records and reports: limits, a log record, a loss, the results of a capture and a restore.

export const MB = 1024 * 1024;

/** Trees a build or a package manager makes again, and the VCS's own store: not captured by default. */
export const DEFAULT_HISTORY_EXCLUDES: readonly string[] = [
  'node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'target', '.next', '.nuxt', '.svelte-kit', '.turbo', '.parcel-cache',
  '.venv', 'venv', '__pycache__', '.mypy_cache', '.pytest_cache', '.ruff_cache', '.tox', '.gradle', '.cache', 'coverage', '.terraform', 'bower_components', '.vscode-test',
];

export interface HistoryLimits {
  /** A file larger than this is not captured. */
  maxFileBytes: number;
  /** Objects beyond this are pruned, oldest superseded versions first. */
  maxStoreBytes: number;
  /** Superseded versions and deleted files older than this are pruned. */
  keepDays: number;
  /** Folder (or file) names never captured, at any depth. */
  exclude: readonly string[];
}

export const DEFAULT_HISTORY_LIMITS: Readonly<HistoryLimits> = { maxFileBytes: 20 * MB, maxStoreBytes: 2048 * MB, keepDays: 14, exclude: DEFAULT_HISTORY_EXCLUDES };

/** One line of a folder's log: a version of a file, or its deletion (`gone`). */
export interface HistoryRecord {
  /** When it was captured (ms since the epoch). */
  t: number;
  /** Path relative to the folder, `/`-separated. */
  p: string;
  /** sha256 of the content; absent when the file was deleted. */
  h?: string;
  s?: number;
  /** Permission bits. */
  m?: number;
  mt?: number;
  gone?: 1;
}

/** A file that vanished or was emptied. */
export interface Loss {
  path: string;
  rel: string;
  kind: 'deleted' | 'truncated';
  /** The size of the version that was lost. */
  size: number;
  /** The version to restore. */
  version: HistoryRecord;
  time: number;
}

export interface CaptureResult {
  changed: number;
  unchanged: number;
  skipped: number;
  lost: Loss[];
  ms: number;
}

export type RestoreOutcome = 'restored' | 'identical' | 'exists' | 'failed';

export interface RestoreItem {
  path: string;
  outcome: RestoreOutcome;
  error?: string;
}
