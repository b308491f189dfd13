// Values the credential scanner passes around. A finding never holds the secret: only a mask and a keyed hash.

/** How far a credential reaches, from narrowest to widest; `unknown` when the value alone cannot tell. */
export const BREADTHS = ['resource', 'project', 'organization', 'account', 'unknown'] as const;
export type Breadth = (typeof BREADTHS)[number];

/** Where a finding was seen: a file under the scanned root, or the environment guarded terminals inherit. */
export type FindingSource = 'workspace' | 'environment';

/** The file name environment findings carry, so every finding has a `file` to group and sort by. */
export const ENVIRONMENT_FILE = '<environment>';

export interface CredentialFinding {
  /** Who issued it: `railway`, `github`, `postgres`, `kubernetes`… */
  provider: string;
  /** What it is: `account-token`, `connection-url`, `private-key`… `provider/kind` is the finding's code. */
  kind: string;
  /** One line a person reads: "Railway account token". */
  label: string;
  source: FindingSource;
  /** Workspace-relative with `/` separators; ENVIRONMENT_FILE for the environment. */
  file: string;
  /** 1-based; 0 for the environment. */
  line: number;
  /** 1-based, in UTF-16 code units as editors count; 0 for the environment. */
  column: number;
  /** Where the matched text ends (for an editor range). */
  endLine: number;
  endColumn: number;
  /** `ghp_…(40)`: a few leading characters and the length, never enough to use. */
  masked: string;
  /** The variable it is assigned to, when it is (`RAILWAY_API_TOKEN`). */
  variable?: string;
  /** What a holder of this credential can do, when the kind (or the URL's user) tells. */
  capability: string;
  /** A narrower credential to use instead. */
  suggestion: string;
  breadth: Breadth;
  /** Which detector found it: `secretlint:<rule id>` or `agent-guard:<detector id>`. */
  detector: string;
  /**
   * Keyed hash of the secret (HMAC-SHA-256 with a per-process key), so the gate can recognise the value in a
   * command without anyone keeping the value. Absent for references to files outside the workspace.
   */
  fingerprint?: string;
  /** Length of the secret, so the gate only hashes pieces of a command that could be it. */
  secretLength?: number;
}

export interface ScanOptions {
  /** Skip what .gitignore files ignore (default true). Credential-shaped files (.env*, keys) are read anyway. */
  respectGitignore?: boolean;
  /** Directory names never entered (default: node_modules, .git, .hg, .svn). */
  skipDirectories?: readonly string[];
  /** Files larger than this are not read (default 1 MiB). */
  maxFileBytes?: number;
  /** Stop early; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called now and then with the number of files read so far. */
  onProgress?: (filesScanned: number) => void;
  /** Key for fingerprints (default: PROCESS_FINGERPRINT_KEY, random per process). */
  fingerprintKey?: Buffer;
}

export interface ScanStats {
  filesScanned: number;
  bytesScanned: number;
  /** Files and directories left out, by reason. */
  skipped: { binary: number; tooLarge: number; symlinks: number; ignored: number; directories: number; unreadable: number };
  durationMs: number;
}

export interface ScanResult {
  /** The absolute root that was scanned. */
  root: string;
  findings: CredentialFinding[];
  stats: ScanStats;
}
