// The "token found in an unrelated file" pattern: a command that uses a credential the scan found somewhere other
// than where the person keeps credentials for use. Public wipes have started this way — an agent needed a token,
// searched the project, found a broad one in a file made for something else, and used it. Pure: command text and
// findings in, uses out; the policy decides (confirm in production).
//
// A command uses a credential when
//  - its value appears in the command (an argument, an assignment, a header, a URL's password, a heredoc), or
//  - it loads the file holding it into the environment or into an argument: `source F`, `. F`, `--env-file F`,
//    `dotenv -e F --`, `dotenvx run -f F --`, or any read of F inside $(…).
// Nobody keeps the value: a piece of the command is hashed with the fingerprint key only when its length equals a
// finding's secret length, and compared with the finding's fingerprint.

import * as path from 'node:path';
import { late } from '../late';
import { expand, Invocation } from '../parse/invocation';
import { fingerprint, PROCESS_FINGERPRINT_KEY } from './mask';
import { BREADTHS, CredentialFinding } from './types';
import { own } from '../own';

export interface CredentialUse {
  finding: CredentialFinding;
  /** `value`: the secret is written in the command; `file`: the command loads the file that holds it. */
  how: 'value' | 'file';
  /** The file the credential was found in: what a person types to approve. */
  resource: string;
  /** One line for the approval prompt. */
  reason: string;
  /** The simple command that uses it, as written but with credential values masked (see redactCredentials). */
  command: string;
}

export interface CredentialUseOptions {
  /** Key the findings' fingerprints were made with (default: this process's key, as the scanner uses). */
  key?: Buffer;
  /** The command's working directory, relative to the workspace root ('' for the root). */
  cwd?: string;
  /** The workspace root, to read absolute paths in the command as workspace files. */
  root?: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const globs = late((): typeof import('../globs') => require('../globs'));

const LOADS_ENV_FILE: Readonly<Record<string, readonly string[]>> = {
  dotenv: ['-e'],
  dotenvx: ['-f', '--env-file'],
};
const PIECE_SEPARATORS = /[\s"'`=:@,;&?/<>()[\]{}]+/;
const BLANKS = /[\s"'`]+/;

/**
 * Uses in `command` of credentials found outside `configuredLocations`: globs matched against the workspace-relative
 * path (`.env` is the root's, `services/*.env` one folder's). Credentials from the environment count as configured:
 * a person put them there. With no configured locations, every credential found in a file is away from home.
 * Widest credentials first.
 */
export function credentialUseOutsideHome(
  command: string,
  findings: readonly CredentialFinding[],
  configuredLocations: readonly string[],
  options: CredentialUseOptions = {},
): CredentialUse[] {
  const isHome = (f: CredentialFinding): boolean =>
    f.source === 'environment' || configuredLocations.some((g) => globs().minimatch(f.file, g, { dot: true }));
  const homeFingerprints = new Set(findings.filter((f) => isHome(f) && f.fingerprint).map((f) => f.fingerprint!));
  const away = findings.filter((f) => !isHome(f) && !(f.fingerprint && homeFingerprints.has(f.fingerprint)));
  if (!away.length) return [];

  const key = options.key ?? PROCESS_FINGERPRINT_KEY;
  const byFingerprint = new Map(away.filter((f) => f.fingerprint).map((f) => [f.fingerprint!, f]));
  const lengths = new Set(away.map((f) => f.secretLength).filter((n): n is number => !!n));
  const awayFiles = new Set(away.map((f) => f.file));
  const uses = new Map<CredentialFinding, CredentialUse>();

  for (const inv of expand(command).invocations) {
    for (const piece of candidatePieces(inv, lengths)) {
      const f = byFingerprint.get(fingerprint(piece, key));
      if (f && !uses.has(f)) uses.set(f, use(f, 'value', inv, findings, key));
    }
    for (const file of loadedFiles(inv)) {
      const rel = workspacePath(file, options);
      if (!rel || !awayFiles.has(rel)) continue;
      for (const f of away) if (f.file === rel && !uses.has(f)) uses.set(f, use(f, 'file', inv, findings, key));
    }
  }
  return [...uses.values()].sort((a, b) => BREADTHS.indexOf(b.finding.breadth) - BREADTHS.indexOf(a.finding.breadth));
}

function use(f: CredentialFinding, how: CredentialUse['how'], inv: Invocation, findings: readonly CredentialFinding[], key: Buffer): CredentialUse {
  const where = `${f.file}:${f.line}`;
  const reason =
    how === 'value'
      ? `uses the ${f.label} found in ${where}, not where credentials are configured`
      : `loads ${f.file}, which holds a ${f.label} (line ${f.line}) outside the configured credential locations`;
  return { finding: f, how, resource: f.file, reason, command: redactCredentials(inv.text, findings, key) };
}

/** Words of the command, and their pieces between separators, whose length a secret could have. */
function* candidatePieces(inv: Invocation, lengths: ReadonlySet<number>): Generator<string> {
  const words = [inv.path, ...inv.args, ...Object.values(inv.env), ...inv.redirects.map((r) => r.target?.text ?? r.body ?? '')];
  if (inv.stdin) words.push(...inv.stdin.split('\n'));
  for (const w of words) yield* piecesOf(w, lengths);
}

function* piecesOf(text: string, lengths: ReadonlySet<number>): Generator<string> {
  if (!text) return;
  if (lengths.has(text.length)) yield text;
  for (const piece of text.split(PIECE_SEPARATORS)) if (lengths.has(piece.length)) yield piece;
  // Split on blanks only, for tokens made of base64 (`/`, `+`, `=`) or with a scheme word (`FlyV1 fm2_…`).
  const words = text.split(BLANKS);
  for (let i = 0; i < words.length; i++) {
    if (lengths.has(words[i].length)) yield words[i];
    if (i + 1 < words.length && lengths.has(words[i].length + 1 + words[i + 1].length)) yield `${words[i]} ${words[i + 1]}`;
  }
}

/**
 * `text` with every value that matches a finding's fingerprint replaced by the finding's mask: for approval prompts,
 * logs and the audit trail, where the command an agent typed may carry a credential.
 */
export function redactCredentials(text: string, findings: readonly CredentialFinding[], key: Buffer = PROCESS_FINGERPRINT_KEY): string {
  const byFingerprint = new Map(findings.filter((f) => f.fingerprint).map((f) => [f.fingerprint!, f]));
  const lengths = new Set(findings.map((f) => f.secretLength).filter((n): n is number => !!n));
  let out = text;
  for (const piece of new Set(piecesOf(text, lengths))) {
    const f = byFingerprint.get(fingerprint(piece, key));
    if (f) out = out.split(piece).join(f.masked);
  }
  return out;
}

/** Files the invocation reads into its environment or, inside $(…), into the command line. */
function loadedFiles(inv: Invocation): string[] {
  const files: string[] = [];
  if ((inv.program === 'source' || inv.program === '.') && inv.args[0]) files.push(inv.args[0]);
  for (const carrier of [inv, inv.parent]) {
    if (!carrier) continue;
    const flags = own(LOADS_ENV_FILE, carrier.program) ?? [];
    for (let i = 0; i < carrier.args.length; i++) {
      const a = carrier.args[i];
      if (a === '--') break;
      if (a.startsWith('--env-file=')) files.push(a.slice('--env-file='.length));
      else if ((a === '--env-file' || flags.includes(a)) && carrier.args[i + 1]) files.push(carrier.args[++i]);
    }
  }
  if (inv.origin === 'substitution') {
    files.push(...inv.args.filter((a) => !a.startsWith('-')));
    for (const r of inv.redirects) if (r.op === '<' && r.target) files.push(r.target.text);
  }
  return files;
}

function workspacePath(file: string, { cwd = '', root }: CredentialUseOptions): string | undefined {
  let p = file;
  if (path.posix.isAbsolute(p)) {
    if (!root) return undefined;
    const r = root.replace(/\/+$/, '');
    if (!p.startsWith(`${r}/`)) return undefined;
    p = p.slice(r.length + 1);
  } else {
    p = path.posix.join(cwd, p);
  }
  const normal = path.posix.normalize(p);
  return normal.startsWith('../') ? undefined : normal.replace(/^\.\//, '');
}
