// What an assignment to PATH (or zsh's path array) puts ahead of the current value: the folders a plain program name
// would be looked up in before the folders already there (Agent Guard's shims first among them).

import { posix } from 'node:path';
import type { Invocation } from './parse/invocation';
import { unshimmed } from './unshimmed';

/** The names PATH is assigned under: the variable, and zsh's array tied to it. */
export type PathName = 'PATH' | 'path';

/** A reference to the current PATH: `$PATH`, `${PATH}`, or `${PATH:+…}` / `${PATH:-…}` (the value or a default). */
const PATH_REF = /\$(?:PATH(?![A-Za-z0-9_])|\{PATH(?![A-Za-z0-9_])(.?))/;
/** zsh's array form keeps the old list where it names it: `$path`, `${path}`, `$path[@]`, `${path[@]}`. */
const PATH_ARRAY_REF = /^\$\{?path(\[[@*]\])?\}?$/;

/**
 * The folders a value assigned to `name` puts ahead of the current value, as written (`''` is an empty entry, the
 * current folder); `[]` when it keeps the current value first (an append); `null` when it does not keep the current
 * value at all (a replacement: `guard.tamper`'s); `'unknown'` when the current value goes through an operation
 * (`${PATH/…/…}`, `${PATH#*:}`) whose result the text does not say.
 */
export function prependedFolders(name: PathName, value: string): string[] | null | 'unknown' {
  if (name === 'path') {
    const m = /^\(([\s\S]*)\)$/.exec(value.trim());
    if (!m) return value.startsWith('$path') || value.startsWith('${path') ? [] : null;
    const items = m[1].split(/\s+/).filter((x) => x !== '').map((x) => x.replace(/^["']|["']$/g, ''));
    const at = items.findIndex((x) => PATH_ARRAY_REF.test(x));
    if (at < 0) return items.some((x) => /\$\{?\(?.*path/i.test(x)) ? 'unknown' : items.length ? items : null;
    return items.slice(0, at);
  }
  const m = PATH_REF.exec(value);
  if (!m) return null;
  // `${PATH}`, `${PATH:+:$PATH}`, `${PATH:-/usr/bin}`, `${PATH-…}`, `${PATH+…}`: the current value (or nothing).
  if (m[1] !== undefined && m[1] !== '}' && !(m[1] === ':' && /^\$\{PATH:[-+]/.test(value.slice(m.index))) && m[1] !== '-' && m[1] !== '+') return 'unknown';
  const before = value.slice(0, m.index);
  if (before === '') return [];
  return before.replace(/:$/, '').split(':');
}

/** The PATH assignments one simple command makes: `PATH=… cmd`, `export PATH=…`, `declare -x PATH=…`, `path=(…)`. */
export function pathAssignments(env: Readonly<Record<string, string>>, program: string, args: readonly string[]): [PathName, string][] {
  const out: [PathName, string][] = [];
  for (const k of ['PATH', 'path'] as const) if (env[k] !== undefined) out.push([k, env[k]]);
  if (/^(export|declare|typeset|local|readonly|integer)$/.test(program)) {
    for (const a of args) {
      const m = /^(PATH|path)=([\s\S]*)$/.exec(a);
      if (m) out.push([m[1] as PathName, m[2]]);
    }
  }
  return out;
}

/** The names a person knows first. */
const FIRST = ['rm', 'find', 'mv', 'shred', 'truncate', 'git', 'docker', 'kubectl', 'terraform'];
function rank(name: string): number {
  const i = FIRST.indexOf(name);
  return i < 0 ? FIRST.length : i;
}

/** Temporary folders: any program can put files there. */
function tempFolders(): string[] {
  const t = process.env.TMPDIR;
  return ['/tmp', '/var/tmp', '/dev/shm', ...(t && t.startsWith('/') ? [posix.normalize(t).replace(/\/+$/, '')] : [])];
}

function inside(folder: string, p: string): boolean {
  return p === folder || p.startsWith(folder === '/' ? '/' : `${folder}/`);
}

/** Why a folder put ahead of PATH would let a plain program name run something unchecked; undefined when it would not. */
export function aheadRisk(folder: string, inv: Invocation): string | undefined {
  const f = folder.replace(/^["']|["']$/g, '');
  if (f === '' || f === '.') return 'an empty entry or `.` is the current folder, wherever the shell goes';
  const site = inv.site;
  const rooted = /^(\/|~(\/|$)|\$\{?(HOME|PWD)\}?(\/|$))/.test(f);
  if (!rooted && !/[$`]/.test(f)) return 'a relative folder: it names another folder after every cd';
  const abs = site?.resolve(f);
  if (!site || abs === undefined) return 'the folder is not known when the line is checked';
  if (tempFolders().some((t) => inside(t, abs))) return 'a temporary folder, where any program can put files';
  if (inside(site.origin, abs)) return 'a folder inside the one the line runs in (the workspace)';
  if (site.mayWrite(abs)) return 'a folder this user can write: the agent can put a program there';
  const guarded = site.guardedIn(abs).filter((n) => !unshimmed(n)).sort((a, b) => rank(a) - rank(b));
  if (guarded.length) return `it holds ${guarded.slice(0, 3).join(', ')}${guarded.length > 3 ? '…' : ''}, which scripts would then run ahead of Agent Guard's shims`;
  return undefined;
}
