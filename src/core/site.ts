// Where a command runs: its working folder, Agent Guard's own files, and the files a line runs (scripts, Makefiles,
// package.json, programs run by path). The engine reads them when the line is checked, bounded, so what runs inside
// the checked shell is judged with the line; a file it cannot read is reported, never silently skipped.

import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants as fsConstants, fstatSync, openSync, readdirSync, readSync, realpathSync, Stats, statSync } from 'node:fs';
import { posix } from 'node:path';
import { globRegExp } from './parse/glob';
import { stateDir } from './paths';

/** Script files, Makefiles and package.json files larger than this are not read (the line is then not understood). */
export const MAX_SCRIPT_BYTES = 256 * 1024;
/** All the files one line makes the engine read, together. */
export const MAX_BYTES_PER_LINE = 2 * 1024 * 1024;

export type ReadResult = { ok: true; text: string; path: string } | { ok: false; missing: boolean; why: string; path: string };

export interface SiteOptions {
  /** The command's working folder (absolute). */
  cwd: string;
  /** Agent Guard's own folders and files: shell hooks, shims, state, audit log, hook launcher. */
  guardPaths?: readonly string[];
  /** Whether the files a line runs are read (only when the caller said where the line runs). */
  readsFiles?: boolean;
  /** Why a line's files are not read although its folder was given (a folder this host cannot read): said when it runs one. */
  unread?: string;
  /** The program names rules look at: a file that is one of them under another name is judged as that program. */
  guarded?: ReadonlySet<string>;
  home?: string;
}

/** Agent Guard's own folders as this process sees them: the state folder and a terminal's shell folder. */
export function defaultGuardPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const out = [stateDir(env)];
  if (env.AGENT_GUARD_DIR && posix.isAbsolute(env.AGENT_GUARD_DIR)) out.push(env.AGENT_GUARD_DIR);
  return out;
}

export class Site {
  readonly cwd: string;
  readonly home: string;
  readonly readsFiles: boolean;
  readonly unread?: string;
  readonly guarded: ReadonlySet<string>;
  private readonly guard: string[];
  /** Shared by a line's sites (its folder and the folders its `cd`s move to): one budget per line. */
  private budget = { bytesRead: 0 };
  /** The site this one was reached from by a `cd` on the same line. */
  private from?: Site;

  constructor(options: SiteOptions) {
    this.cwd = posix.resolve(options.cwd);
    this.home = options.home ?? process.env.HOME ?? '/';
    this.readsFiles = options.readsFiles ?? true;
    if (options.unread !== undefined) this.unread = options.unread;
    this.guarded = options.guarded ?? new Set();
    this.guard = guardSet(options.guardPaths ?? []);
  }

  /**
   * The absolute path a word names, when the text alone says (`~`, `$HOME`, `$PWD` and relative paths are read);
   * undefined when it depends on other variables, substitutions or globs.
   */
  resolve(word: string): string | undefined {
    // A drive path (`C:\\work\\x.ps1`, `C:/work`) is `/C:/work/x.ps1` here, as a Windows folder given as the line's is.
    let p = /^[A-Za-z]:[\\/]/.test(word) ? `/${word.replace(/\\/g, '/')}` : word;
    if (p === '~' || p.startsWith('~/')) p = this.home + p.slice(1);
    // `~+` is the working folder; `~-`, `~+2`, `~user` name folders the text does not give.
    else if (p === '~+' || p.startsWith('~+/')) p = this.cwd + p.slice(2);
    else if (p.startsWith('~')) return undefined;
    else p = p.replace(/^\$\{?HOME\}?(?=\/|$)/, this.home).replace(/^\$\{?PWD\}?(?=\/|$)/, this.cwd);
    if (/[$`*?[]/.test(p) || p === '') return undefined;
    return posix.resolve(this.cwd, p);
  }

  /** The site after `cd word` on the same line; this site when the folder is not known from the text. */
  at(word: string): Site {
    const dir = word === '' || word === '~' ? this.home : this.resolve(word);
    if (dir === undefined || dir === this.cwd) return this;
    const next = Object.create(Site.prototype) as Site;
    Object.assign(next, this, { cwd: dir, from: this });
    return next;
  }

  /** The folder the line itself runs in, before any `cd` on it. */
  get origin(): string {
    let s: Site = this;
    while (s.from) s = s.from;
    return s.cwd;
  }

  /**
   * What a word names from this folder and from the folders before the line's `cd`s (a `cd` inside a subshell does
   * not move the rest of the line): every candidate, nearest first.
   */
  resolveAll(word: string): string[] {
    const out: string[] = [];
    for (let s: Site | undefined = this; s && out.length < 8; s = s.from) {
      const abs = s.resolve(word);
      if (abs !== undefined && !out.includes(abs)) out.push(abs);
    }
    return out;
  }

  /** Whether a word with glob characters (`../../gate-ba?h/shim`) may name one of Agent Guard's own files or folders. */
  globMayBeGuard(word: string): boolean {
    if (!this.guard.length || !/[*?[]/.test(word)) return false;
    const marks: string[] = [];
    const plain = word.replace(/\[[^\]]*\]|[*?]+/g, (m) => `\u0000${marks.push(m) - 1}\u0000`);
    // Each glob becomes "any characters but /" (not a leading dot); the word may name a guard path or one inside it.
    const source = this.resolve(plain.replace(/\u0000(\d+)\u0000/g, 'GLOB$1GLOB'));
    if (source === undefined) return false;
    const parts = source.split('/').map((seg) => seg.replace(/[.+^${}()|\\]/g, '\\$&').replace(/^GLOB\d+GLOB/, '(?!\\.)GLOB').replace(/GLOB(\d+GLOB)?/g, '[^/]*'));
    for (let n = 2; n <= parts.length; n++) {
      const prefix = new RegExp(`^${parts.slice(0, n).join('/')}$`);
      if (this.guard.some((g) => prefix.test(g))) return true;
    }
    return false;
  }

  /** Whether `abs` is one of Agent Guard's own files or folders, also through symbolic links on the way. */
  isGuardPath(abs: string): boolean {
    if (!this.guard.length) return false;
    if (this.guard.some((g) => within(g, abs))) return true;
    const real = realOfDeepest(abs);
    return real !== undefined && this.guard.some((g) => within(g, real));
  }

  /**
   * Whether `abs` (by its real path too) is one of Agent Guard's own folders, inside one, or a folder above one: a
   * symbolic link to it would give the guard's files a second name that never names them (`ln -s .. u` three times).
   */
  reachesGuard(abs: string): boolean {
    if (!this.guard.length) return false;
    const real = realOfDeepest(abs);
    return [abs, ...(real !== undefined && real !== abs ? [real] : [])].some((p) => this.guard.some((g) => within(g, p) || within(p, g)));
  }

  /**
   * Where a symbolic link's target leads, read as the system does: relative to the link's own folder (its real path,
   * so links already on the way count), each `..` taken from the real folder reached so far. Undefined when the text
   * does not say (variables, substitutions, globs).
   */
  linkTarget(linkAbs: string, target: string): string | undefined {
    if (target === '') return undefined;
    const absTarget = target.startsWith('/') || target.startsWith('~') || /^\$\{?(HOME|PWD)\}?(\/|$)/.test(target);
    if (absTarget) return this.resolve(target);
    if (/[$`*?[]/.test(target)) return undefined;
    let at = realOfDeepest(posix.dirname(linkAbs)) ?? posix.dirname(linkAbs);
    for (const part of target.split('/')) {
      if (part === '' || part === '.') continue;
      at = part === '..' ? posix.dirname(at) : posix.join(at, part);
      at = realpathOrUndefined(at) ?? at;
    }
    return at;
  }

  /**
   * Whether this user could put a program in folder `abs`: it, or the nearest folder above it that exists (where it
   * could be made), is writable. For root every folder is; the system's own program folders are not counted then.
   */
  mayWrite(abs: string): boolean {
    let at = abs;
    for (let i = 0; i < 64; i++) {
      try {
        if (!statSync(at).isDirectory()) return false;
        if (typeof process.getuid === 'function' && process.getuid() === 0 && SYSTEM_FOLDERS.has(at)) return false;
        accessSync(at, fsConstants.W_OK);
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return false;
      }
      const up = posix.dirname(at);
      if (up === at) return false;
      at = up;
    }
    return false;
  }

  /** The guarded programs folder `abs` holds (one directory read): ahead of the shims, they would run unchecked by scripts. */
  guardedIn(abs: string): string[] {
    let names: string[];
    try {
      names = readdirSync(abs);
    } catch {
      return [];
    }
    return names.filter((n) => this.guarded.has(n)).sort();
  }

  /** Reads a file a line runs, bounded in size; says why not when it cannot. */
  read(abs: string): ReadResult {
    let fd: number | undefined;
    try {
      fd = openSync(onDisk(abs), 'r');
      const st = fstatSync(fd);
      if (!st.isFile()) return { ok: false, missing: false, why: `${abs} is not a regular file`, path: abs };
      if (st.size > MAX_SCRIPT_BYTES) return { ok: false, missing: false, why: `${abs} is ${st.size} bytes, more than the ${MAX_SCRIPT_BYTES} read`, path: abs };
      if (this.budget.bytesRead + st.size > MAX_BYTES_PER_LINE) return { ok: false, missing: false, why: `the files this line runs are more than ${MAX_BYTES_PER_LINE} bytes together`, path: abs };
      const buf = Buffer.alloc(st.size);
      let n = 0;
      while (n < st.size) {
        const r = readSync(fd, buf, n, st.size - n, n);
        if (r <= 0) break;
        n += r;
      }
      this.budget.bytesRead += n;
      return { ok: true, text: buf.subarray(0, n).toString('utf8'), path: abs };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { ok: false, missing: code === 'ENOENT' || code === 'ENOTDIR', why: `${abs} could not be read (${code ?? (e as Error).message})`, path: abs };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** The first bytes of a file (to tell a compiled program from a script); undefined when it cannot be opened. */
  peek(abs: string, bytes: number): Buffer | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(onDisk(abs), 'r');
      if (!fstatSync(fd).isFile()) return undefined;
      const buf = Buffer.alloc(bytes);
      const n = readSync(fd, buf, 0, bytes, 0);
      return buf.subarray(0, n);
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /**
   * What program a file is, when it is a guarded program under another name: a link to it, the same file (inode), or
   * a copy (same size and content). Undefined for anything else. Known programs and copies are cached by
   * device, inode, size and modification time, so a repeated check costs one stat.
   */
  programIdentity(abs: string, guarded: ReadonlySet<string>): string | undefined {
    const real = realpathOrUndefined(abs);
    if (real === undefined) return undefined;
    const base = posix.basename(real);
    // A multi-call program (busybox, coreutils) picks what it does by the name it is run as: that name decides.
    if (MULTI_CALL.has(base)) return undefined;
    if (guarded.has(base)) return base;
    let st: Stats;
    try {
      st = statSync(real);
    } catch {
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const table = programTable(guarded);
    const same = table.byInode.get(`${st.dev}:${st.ino}`);
    if (same !== undefined) return same || undefined;
    const sized = table.bySize.get(st.size);
    if (!sized) return undefined;
    const digest = fileDigest(real, st);
    if (digest === undefined) return undefined;
    const names = new Set(sized.filter((p) => fileDigest(p.path, p.stat) === digest).map((p) => p.name));
    return names.size === 1 ? [...names][0] : undefined;
  }

  /** The program a pattern in the program word runs (`/bin/r?` is /bin/rm): the first file it matches, as bash does. */
  globProgram(word: string): string | undefined {
    const slash = word.lastIndexOf('/');
    const dirWord = slash < 0 ? undefined : word.slice(0, slash) || '/';
    if (dirWord === undefined || /[*?[(]/.test(dirWord)) return undefined;
    const dir = this.resolve(dirWord);
    const re = dir === undefined ? undefined : globRegExp(word.slice(slash + 1));
    if (!dir || !re) return undefined;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return undefined;
    }
    return names.find((n) => re.test(n));
  }

  /** Whether a path names an existing folder (through links). */
  isFolder(abs: string): boolean {
    try {
      return statSync(onDisk(abs)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Whether a path names an existing file (not a folder). */
  isFile(abs: string): boolean {
    try {
      return statSync(onDisk(abs)).isFile();
    } catch {
      return false;
    }
  }
}

/**
 * A Windows folder given as the line's (`C:\\work`) is kept as `/C:/work` so paths resolve the POSIX way; on Windows
 * the file is opened as `C:/work/…`. Elsewhere no such file exists: nothing is read, as for a missing script.
 */
export function windowsFolder(cwd: string): string | undefined {
  return /^[A-Za-z]:[\\/]/.test(cwd) ? posix.normalize(`/${cwd.replace(/\\/g, '/')}`) : undefined;
}

function onDisk(abs: string): string {
  return process.platform === 'win32' && /^\/[A-Za-z]:\//.test(abs) ? abs.slice(1) : abs;
}

interface ProgramTable {
  byInode: Map<string, string>;
  bySize: Map<number, { name: string; path: string; stat: Stats }[]>;
}

const MULTI_CALL = new Set(['busybox', 'toybox', 'coreutils', 'uutils']);
const SYSTEM_BIN = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
/** The system's own program folders, and the folders above them. */
const SYSTEM_FOLDERS = new Set([...SYSTEM_BIN, '/usr/games', '/usr/local/games', '/snap/bin', '/usr', '/usr/local', '/']);
let PROGRAMS: { key: string; table: ProgramTable } | undefined;

/** The guarded programs found on this process's PATH (and the system folders), by inode and by size: built once. */
function programTable(guarded: ReadonlySet<string>): ProgramTable {
  const dirs = [...new Set([...(process.env.PATH ?? '').split(':').filter((d) => d.startsWith('/')), ...SYSTEM_BIN])];
  const key = `${dirs.join(':')}\0${guarded.size}`;
  if (PROGRAMS?.key === key) return PROGRAMS.table;
  const table: ProgramTable = { byInode: new Map(), bySize: new Map() };
  for (const name of guarded) {
    if (!/^[\w.+-]+$/.test(name)) continue;
    for (const d of dirs) {
      let st: Stats;
      const path = `${d}/${name}`;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      const k = `${st.dev}:${st.ino}`;
      const known = table.byInode.get(k);
      // One file under several guarded names (a multi-call program) says nothing about which one a copy is.
      if (known !== undefined) {
        if (known !== name) table.byInode.set(k, '');
        continue;
      }
      table.byInode.set(k, name);
      // Large programs (cloud CLIs) are never hashed: a copy of one is not the threat this closes.
      if (st.size > 8 * 1024 * 1024) continue;
      const list = table.bySize.get(st.size) ?? [];
      list.push({ name, path, stat: st });
      table.bySize.set(st.size, list);
    }
  }
  PROGRAMS = { key, table };
  return table;
}

const DIGESTS = new Map<string, string>();

/** A file's SHA-256, cached by device, inode, size and modification time. */
function fileDigest(path: string, st: Stats): string | undefined {
  const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  const known = DIGESTS.get(key);
  if (known) return known;
  if (st.size > 8 * 1024 * 1024) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(st.size);
    let n = 0;
    while (n < st.size) {
      const r = readSync(fd, buf, n, st.size - n, n);
      if (r <= 0) break;
      n += r;
    }
    const digest = createHash('sha256').update(buf.subarray(0, n)).digest('hex');
    if (DIGESTS.size > 1024) DIGESTS.clear();
    DIGESTS.set(key, digest);
    return digest;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const GUARD_SETS = new Map<string, string[]>();

/** The guard's folders, normalised and with their real paths: worked out once per list, not per line. */
function guardSet(paths: readonly string[]): string[] {
  const key = paths.join('\0');
  let set = GUARD_SETS.get(key);
  if (set) return set;
  const guard = new Set<string>();
  for (const g of paths) {
    if (!g || !posix.isAbsolute(g)) continue;
    guard.add(posix.normalize(g).replace(/\/+$/, '') || '/');
    const real = realpathOrUndefined(g);
    if (real) guard.add(real);
  }
  set = [...guard];
  if (GUARD_SETS.size > 64) GUARD_SETS.clear();
  GUARD_SETS.set(key, set);
  return set;
}

function within(folder: string, p: string): boolean {
  return p === folder || p.startsWith(folder === '/' ? '/' : folder + '/');
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The real path of `abs`: its deepest existing ancestor resolved, with the rest appended. */
function realOfDeepest(abs: string): string | undefined {
  let head = abs;
  let tail = '';
  for (let i = 0; i < 64; i++) {
    const real = realpathOrUndefined(head);
    if (real !== undefined) return tail ? posix.join(real, tail) : real;
    const parent = posix.dirname(head);
    if (parent === head) return undefined;
    tail = tail ? posix.join(posix.basename(head), tail) : posix.basename(head);
    head = parent;
  }
  return undefined;
}
