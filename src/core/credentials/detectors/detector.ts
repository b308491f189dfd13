// What a detector is: a cheap trigger check, then a pass over one file's text that returns offsets, never values.

/** One credential seen in one text, as offsets into that text. */
export interface Detection {
  provider: string;
  kind: string;
  /** The matched text (for the editor range). */
  start: number;
  end: number;
  /** The secret itself when narrower than the match (a URL's password); defaults to [start, end). */
  secret?: readonly [number, number];
  /** The variable the value is assigned to. */
  variable?: string;
  /** Facts that sharpen the description: a database user and host, a kubeconfig user, a referenced path. */
  facts?: Record<string, string>;
  /** A reference to a file outside the workspace: shown as is, never hashed. */
  reference?: boolean;
  /** Set by the scanner: `secretlint:<rule id>` or `agent-guard:<detector id>`. */
  detector?: string;
}

export interface Detector {
  /** Stable id, shown as `agent-guard:<id>` on findings. */
  readonly id: string;
  /** What it finds, and why the library does not. */
  readonly summary: string;
  /** The detector runs only on text containing one of these (case-sensitive). */
  readonly triggers: readonly string[];
  /** Which files it reads, by workspace-relative path; all text files when absent. */
  appliesTo?(file: string): boolean;
  detect(text: string, file: string): Detection[];
}

export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** `.env`, `.env.production`, `prod.env`, `.envrc`, `.dev.vars`: files whose whole point is to hold variables. */
export function isEnvFile(file: string): boolean {
  const b = baseName(file).toLowerCase();
  return b === '.env' || b.startsWith('.env.') || b.endsWith('.env') || b === '.envrc' || b === '.dev.vars' || b.startsWith('.env-');
}

/** The start offset of each line, for turning offsets into line and column. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of an offset. */
export function position(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}
