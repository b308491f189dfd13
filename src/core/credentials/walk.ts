// Lists the files an agent in the workspace could read, without ever leaving it: symbolic links are not followed
// (a link to ~/.aws is outside the root by definition), files are opened with O_NOFOLLOW, and only regular files
// are read. .gitignore is honoured with the `ignore` package (the matcher ESLint and Prettier use; it implements
// git's rules — negation, anchoring, directory-only patterns — which a hand-written glob would get wrong), except
// for credential-shaped files: .env files are usually ignored precisely because they hold secrets, and an agent
// reads ignored files as easily as any other.

import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';
import { baseName, isEnvFile } from './detectors/detector';
import type { ScanStats } from './types';

export const DEFAULT_SKIP_DIRECTORIES: readonly string[] = ['node_modules', '.git', '.hg', '.svn'];
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Never opened: images, media, archives, fonts, compiled code. */
const BINARY_EXTENSIONS = new Set(
  'png jpg jpeg gif bmp ico icns webp avif tiff psd mp3 mp4 m4a mov avi mkv webm wav flac ogg zip gz tgz bz2 xz 7z rar jar war ear zst woff woff2 ttf otf eot pdf exe dll so dylib a o obj lib class pyc pyo wasm node bin dat db sqlite sqlite3 iso dmg deb rpm'.split(
    ' ',
  ),
);

export interface WalkOptions {
  respectGitignore: boolean;
  skipDirectories: readonly string[];
}

export interface WalkedFile {
  /** Workspace-relative, `/`-separated. */
  rel: string;
  abs: string;
}

interface GitignoreLevel {
  /** Directory of the .gitignore, relative to the root, '' for the root, else ending in '/'. */
  base: string;
  matcher: ignore.Ignore;
}

/** Files under `root` in a stable (sorted, depth-first) order. Counts what it leaves out into `stats.skipped`. */
export function* workspaceFiles(root: string, options: WalkOptions, stats: ScanStats): Generator<WalkedFile> {
  const skip = new Set(options.skipDirectories);
  const stack: { rel: string; levels: GitignoreLevel[] }[] = [{ rel: '', levels: [] }];
  while (stack.length) {
    const { rel: dirRel, levels: parentLevels } = stack.pop()!;
    const dirAbs = dirRel ? path.join(root, dirRel) : root;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dirAbs, { withFileTypes: true });
    } catch {
      stats.skipped.unreadable++;
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let levels = parentLevels;
    if (options.respectGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const matcher = readGitignore(path.join(dirAbs, '.gitignore'));
      if (matcher) levels = [...parentLevels, { base: dirRel ? `${dirRel}/` : '', matcher }];
    }
    const subdirectories: string[] = [];
    for (const e of entries) {
      const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) {
        stats.skipped.symlinks++;
      } else if (e.isDirectory()) {
        if (skip.has(e.name)) stats.skipped.directories++;
        else if (isIgnored(levels, `${rel}/`)) stats.skipped.ignored++;
        else subdirectories.push(rel);
      } else if (e.isFile()) {
        if (isIgnored(levels, rel) && !isCredentialFileName(rel)) stats.skipped.ignored++;
        else yield { rel, abs: path.join(root, rel) };
      }
    }
    for (let i = subdirectories.length - 1; i >= 0; i--) stack.push({ rel: subdirectories[i], levels });
  }
}

function readGitignore(file: string): ignore.Ignore | undefined {
  try {
    return ignore().add(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** git's precedence: deeper .gitignore files decide over shallower ones; within one, the last matching line. */
function isIgnored(levels: readonly GitignoreLevel[], rel: string): boolean {
  let ignored = false;
  for (const { base, matcher } of levels) {
    if (!rel.startsWith(base)) continue;
    const r = matcher.test(rel.slice(base.length));
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

/** Files read even when .gitignore ignores them: they exist to hold credentials. */
export function isCredentialFileName(rel: string): boolean {
  const b = baseName(rel).toLowerCase();
  return (
    isEnvFile(rel) ||
    b === '.netrc' ||
    b === '.pgpass' ||
    b === '.npmrc' ||
    b.includes('kubeconfig') ||
    b.includes('credentials') ||
    b.includes('secret') ||
    b.startsWith('id_rsa') ||
    b.startsWith('id_ed25519') ||
    b.startsWith('id_ecdsa') ||
    /\.(?:pem|key|p12|pfx|jks|keystore|tfvars|tfstate)$/.test(b) ||
    rel.endsWith('.kube/config') ||
    rel.endsWith('.aws/credentials')
  );
}

export function hasBinaryExtension(rel: string): boolean {
  const dot = rel.lastIndexOf('.');
  return dot > rel.lastIndexOf('/') && BINARY_EXTENSIONS.has(rel.slice(dot + 1).toLowerCase());
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
/** git's rule: a NUL in the first 8000 bytes means binary. */
const BINARY_PROBE = 8000;

export type ReadOutcome = { text: string; bytes: number } | 'binary' | 'tooLarge' | 'unreadable';

/**
 * A reader of regular files as UTF-8 that refuses links, special files, binaries and anything over `maxBytes`.
 * One buffer serves every file, read in one call (a regular file's read returns all of it up to the buffer size),
 * and no fstat: reading maxBytes + 1 tells "too large".
 */
export function createTextFileReader(maxBytes: number): (abs: string) => ReadOutcome {
  const buf = Buffer.allocUnsafe(maxBytes + 1);
  return (abs) => {
    let fd: number;
    try {
      fd = fs.openSync(abs, OPEN_FLAGS);
    } catch {
      return 'unreadable';
    }
    try {
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      if (n > maxBytes) return 'tooLarge';
      if (buf.subarray(0, Math.min(n, BINARY_PROBE)).includes(0)) return 'binary';
      return { text: buf.toString('utf8', 0, n), bytes: n };
    } catch {
      return 'unreadable'; // a directory or FIFO swapped in after the listing (EISDIR, EAGAIN)
    } finally {
      fs.closeSync(fd);
    }
  };
}
