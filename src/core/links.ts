// The symbolic links a command makes, and where they lead: a link to a folder above Agent Guard's own gives its files a
// second name that never names them.

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
    const single = sources.length === 1 && (a.has('-T', '--no-target-directory') || !isFolderWord(dest, inv));
    return sources.map((target) => ({ target, at: dest, into: !single, fromCwd }));
  }
  const out: LinkMade[] = [];
  for (const c of code) {
    for (const m of c.matchAll(CODE_SYMLINK)) out.push({ target: m[2], at: m[4], into: false, fromCwd: false });
    for (const m of c.matchAll(CODE_SYMLINK_TO)) out.push({ target: m[4], at: m[2], into: false, fromCwd: false });
  }
  return out;
}

function isFolderWord(word: string, inv: Invocation): boolean {
  if (word.endsWith('/')) return true;
  const abs = inv.site?.resolve(word);
  return abs !== undefined && !!inv.site?.isFolder(abs);
}
