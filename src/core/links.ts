// The symbolic links a command makes, and where they lead: a link to a folder above Agent Guard's own gives its files a
// second name that never names them.

import { Dirent, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';
import type { Invocation } from './parse/invocation';

const LN_SPEC = { values: ['-t', '--target-directory', '-S', '--suffix'] };
const CP_SPEC = { values: ['-t', '--target-directory', '-S', '--suffix'] };

/** A symbolic link a command makes: what it points at (as written), and where it is made (as written). */
export interface LinkMade {
  target: string;
  /** The link itself, or the folder it is made in (`into`). */
  at: string;
  into: boolean;
  /** `ln -r`: the target is read from the working folder, not from the link's. */
  fromCwd: boolean;
}

/** Calls in inline code that make a link: `os.symlink(t, l)`, `fs.symlinkSync(t, l)`, Perl's and Ruby's `symlink(t, l)`; `Path(l).symlink_to(t)`. */
const CODE_SYMLINK = /symlink(?:Sync)?\(\s*(['"])([^'"]*)\1\s*,\s*(['"])([^'"]*)\3/g;
const CODE_SYMLINK_TO = /Path\(\s*(['"])([^'"]*)\1\s*\)\s*\.\s*symlink_to\(\s*(['"])([^'"]*)\3/g;

/** The symbolic links a command makes (`ln -s`, `cp -s`, and link calls in `code`, the inline code it runs). */
export function linksMade(inv: Invocation, code: readonly string[]): LinkMade[] {
  const p = inv.program;
  if (p === 'ln' || p === 'cp') {
    const a = inv.parsed(p === 'ln' ? LN_SPEC : CP_SPEC);
    if (!(p === 'ln' ? a.has('-s', '--symbolic') : a.has('-s', '--symbolic-link'))) return [];
    const ops = [...a.positionals, ...a.rest];
    const fromCwd = p === 'ln' && a.has('-r', '--relative');
    const dir = a.value('-t', '--target-directory');
    if (dir !== undefined) return ops.map((target) => ({ target, at: dir, into: true, fromCwd }));
    if (ops.length === 1) return p === 'ln' ? [{ target: ops[0], at: '.', into: true, fromCwd }] : [];
    if (ops.length < 2) return [];
    const dest = ops[ops.length - 1];
    const sources = ops.slice(0, -1);
    // One source and `-T` (or `-n` over a link): the last operand is the link itself; otherwise it may be a folder.
    const noDeref = p === 'ln' && a.has('-n', '--no-dereference') && isLinkWord(dest, inv);
    const single = sources.length === 1 && (a.has('-T', '--no-target-directory') || noDeref || !isFolderWord(dest, inv));
    return sources.map((target) => ({ target, at: dest, into: !single, fromCwd }));
  }
  const out: LinkMade[] = [];
  for (const c of code) {
    for (const m of c.matchAll(CODE_SYMLINK)) out.push({ target: m[2], at: m[4], into: false, fromCwd: false });
    for (const m of c.matchAll(CODE_SYMLINK_TO)) out.push({ target: m[4], at: m[2], into: false, fromCwd: false });
  }
  return out;
}

function isLinkWord(word: string, inv: Invocation): boolean {
  const abs = inv.site?.resolve(word.replace(/\/+$/, ''));
  try {
    return abs !== undefined && lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

function isFolderWord(word: string, inv: Invocation): boolean {
  if (word.endsWith('/')) return true;
  const abs = inv.site?.resolve(word);
  return abs !== undefined && !!inv.site?.isFolder(abs);
}

const MV_SPEC = { values: ['-t', '--target-directory', '-S', '--suffix'] };
/** Entries looked at in folders a command moves or copies, and how deep: a bound on the work one line costs. */
const CARRIED_ENTRIES = 500;
const CARRIED_DEPTH = 8;
/** Links looked at further, at most, per command. */
const CARRIED_LINKS = 32;

/**
 * Relative symbolic links a move (or a copy that keeps links: `cp -a`, `-d`, `-P`, `-r`) takes to another folder, where
 * their target is read from anew: `../../..` made in `a/b/c` climbs three folders higher once moved to the top. Each
 * with its target and where it lands; found by looking at the sources, bounded.
 */
export function linksCarried(inv: Invocation): LinkMade[] {
  const p = inv.program;
  const site = inv.site;
  if (!site?.readsFiles || (p !== 'mv' && p !== 'cp')) return [];
  const a = inv.parsed(MV_SPEC);
  if (p === 'cp' && (a.has('-L', '--dereference', '-s', '--symbolic-link') || !a.has('-a', '--archive', '-d', '-P', '--no-dereference', '-r', '-R', '--recursive'))) return [];
  const ops = [...a.positionals, ...a.rest];
  const dir = a.value('-t', '--target-directory');
  const dest = dir ?? ops[ops.length - 1];
  const sources = dir !== undefined ? ops : ops.slice(0, -1);
  const destAbs = dest === undefined ? undefined : site.resolve(dest);
  if (destAbs === undefined || !sources.length) return [];
  const into = dir !== undefined || sources.length > 1 || (!a.has('-T', '--no-target-directory') && (dest.endsWith('/') || site.isFolder(destAbs)));
  const out: LinkMade[] = [];
  const budget = { left: CARRIED_ENTRIES };
  for (const s of sources) {
    const from = site.resolve(s);
    if (from !== undefined) collect(from, into ? posix.join(destAbs, posix.basename(from)) : destAbs, 0, out, budget);
  }
  return out;
}

function collect(from: string, to: string, depth: number, out: LinkMade[], budget: { left: number }): void {
  let st;
  try {
    st = lstatSync(from);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) carried(from, to, -1, out);
  else if (st.isDirectory()) walk(from, to, depth, out, budget);
}

/**
 * How many folders a relative target climbs above the link's own folder at most (`../../x` 2, `a/../..` 1); a `..`
 * after a name counts as climbing without end, as that name may itself be a link.
 */
function climb(target: string): number {
  let level = 0;
  let lowest = 0;
  let named = false;
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (named) return Infinity;
      lowest = Math.min(lowest, --level);
    } else {
      named = true;
      level++;
    }
  }
  return -lowest;
}

/**
 * A relative link carried to `to`, `below` folders under what is moved: its target leads elsewhere from the new place
 * only when it climbs out of what is moved (`node_modules/.bin/x -> ../pkg/x` stays inside and moves with it).
 */
function carried(from: string, to: string, below: number, out: LinkMade[]): void {
  if (out.length >= CARRIED_LINKS) return;
  let target: string;
  try {
    target = readlinkSync(from);
  } catch {
    return;
  }
  if (!target.startsWith('/') && climb(target) > below) out.push({ target, at: to, into: false, fromCwd: false });
}

/** The links inside a folder, by its entries' types (one directory read per folder, no stat per entry), bounded. */
function walk(from: string, to: string, depth: number, out: LinkMade[], budget: { left: number }): void {
  if (depth >= CARRIED_DEPTH || budget.left <= 0) return;
  let entries: Dirent[];
  try {
    entries = readdirSync(from, { withFileTypes: true });
  } catch {
    return;
  }
  budget.left -= entries.length;
  for (const e of entries) {
    if (e.isSymbolicLink()) carried(posix.join(from, e.name), posix.join(to, e.name), depth, out);
    else if (e.isDirectory()) walk(posix.join(from, e.name), posix.join(to, e.name), depth + 1, out, budget);
    if (budget.left <= 0) return;
  }
}
