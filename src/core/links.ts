// The symbolic links a command makes, and where they lead: a link to a folder above Agent Guard's own gives its files a
// second name that never names them.

import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
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
const CARRIED_ENTRIES = 1000;
const CARRIED_DEPTH = 8;

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
  if (budget.left-- <= 0) return;
  let st;
  try {
    st = lstatSync(from);
  } catch {
    return;
  }
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = readlinkSync(from);
    } catch {
      return;
    }
    // Only a relative target that climbs can lead elsewhere from the new place.
    if (!target.startsWith('/') && /(^|\/)\.\.(\/|$)/.test(target)) out.push({ target, at: to, into: false, fromCwd: false });
    return;
  }
  if (!st.isDirectory() || depth >= CARRIED_DEPTH) return;
  let names: string[];
  try {
    names = readdirSync(from);
  } catch {
    return;
  }
  for (const n of names) collect(posix.join(from, n), posix.join(to, n), depth + 1, out, budget);
}
