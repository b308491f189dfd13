// Which local paths a command deletes: the engine's delete findings resolved against the command's folder.

import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { expand, Invocation } from '../../core/parse/invocation';
import { isCatastrophicPath, isRegenerable } from '../../core/rules/fs';
import type { Decision, Finding } from '../../core/types';
import { MB, type PlanOptions, type SkippedPath, type SnapshotPlan } from './types';
import { dedupeNested, isInside } from './util';

// ---- which paths a command deletes ------------------------------------------------------------------------------

/** Engine rules whose resources are local paths the command deletes or overwrites. */
export const DELETE_RULES: ReadonlySet<string> = new Set(['fs.recursive-delete', 'fs.delete', 'fs.find-delete', 'fs.truncate', 'fs.shred', 'fs.move-to-null', 'git.clean']);

/** Local absolute paths a decision's delete findings name; `skipped` says why anything was left out. */
export function planSnapshot(req: { decision: Decision; cwd: string }, options: PlanOptions = {}): SnapshotPlan {
  const paths: string[] = [];
  const seen = new Set<string>();
  const skipped: SkippedPath[] = [];
  const home = options.home ?? homedir();
  const exclude = (options.exclude ?? []).map((p) => resolve(p));
  const add = (abs: string, written: string) => {
    if (exclude.some((x) => isInside(abs, x))) skipped.push({ path: written, reason: 'inside the snapshot store' });
    else if (!seen.has(abs)) {
      seen.add(abs);
      paths.push(abs);
    }
  };
  for (const f of req.decision.findings) {
    if (!DELETE_RULES.has(f.rule)) continue;
    if ((f as Finding & { origin?: string }).origin === 'remote') {
      skipped.push({ path: f.resource, reason: 'runs on another machine' });
      continue;
    }
    if (f.resource.includes('(paths from stdin)')) {
      skipped.push({ path: f.resource, reason: 'the paths arrive on standard input' });
      continue;
    }
    const invs = safeExpand(f.command);
    let cwd = req.cwd;
    if (f.rule === 'git.clean') {
      const git = invs.find((i) => i.program === 'git' && i.args.includes('clean'));
      const clean = git ? parseGitClean(git) : null;
      if (!clean) {
        skipped.push({ path: f.resource, reason: 'git options that move the work tree (--git-dir, --work-tree) are not followed' });
        continue;
      }
      cwd = clean.dirs.reduce((d, c) => resolve(d, c), req.cwd);
      if (options.git !== false) {
        const listed = gitCleanDryRun(cwd, clean);
        if (listed) {
          for (const p of listed) {
            if (isRegenerable(p)) skipped.push({ path: p, reason: 'a folder that tools regenerate' });
            else add(resolve(cwd, p), p);
          }
          continue;
        }
      }
    }
    for (const token of splitResource(f.resource, invs)) {
      const r = resolveToken(token, cwd, home);
      if ('reason' in r) skipped.push({ path: token, reason: r.reason });
      else for (const p of r.paths) add(p, token);
    }
  }
  return { paths: dedupeNested(paths), skipped };
}

/** Local absolute paths to snapshot before an approved command runs. */
export function pathsToSnapshot(req: { decision: Decision; cwd: string }, options?: PlanOptions): string[] {
  return planSnapshot(req, options).paths;
}

function safeExpand(command: string): Invocation[] {
  try {
    return expand(command).invocations;
  } catch {
    return [];
  }
}

/**
 * A resource is paths joined by spaces; the command's own arguments tell a path with a space in it ("my data")
 * from two paths, and a rule's stand-in (`rm`, `rm {}`) from a path.
 */
function splitResource(resource: string, invs: Invocation[]): string[] {
  const args = new Set<string>();
  const programs = new Set<string>();
  for (const inv of invs) {
    programs.add(inv.program);
    for (const a of inv.args) args.add(a);
  }
  const byLength = [...args].filter((a) => a.includes(' ')).sort((a, b) => b.length - a.length);
  const out: string[] = [];
  let rest = resource;
  while (rest.length) {
    const spaced = byLength.find((a) => rest === a || rest.startsWith(a + ' '));
    const token = spaced ?? rest.split(' ')[0];
    rest = rest.slice(token.length).replace(/^ +/, '');
    if (!token || token === '{}') continue;
    if (programs.has(token) && !args.has(token)) continue; // a stand-in such as `rm {}` or `mv /dev/null`
    out.push(token);
  }
  return out;
}

const VIRTUAL = /^\/(dev|proc|sys)(\/|$)/;

/** One written path -> absolute local paths, or why it is left out. */
function resolveToken(token: string, cwd: string, home: string): { paths: string[] } | { reason: string } {
  if (/[$`]/.test(token)) return { reason: 'only known when the command runs (a variable or substitution)' };
  if (/^[^/\\]*:/.test(token) && !/^[A-Za-z]:([\\/]|$)/.test(token)) return { reason: 'a remote path (host:path)' };
  if (/\{[^}]*,[^}]*\}/.test(token)) return { reason: 'a brace pattern' };
  if (token.startsWith('~') && !/^~(\/|$)/.test(token)) return { reason: "another user's home folder" };
  const written = token.startsWith('~') ? home + token.slice(1) : token;
  if (isCatastrophicPath(token) || isCatastrophicPath(written)) return { reason: 'the whole machine, a home folder or a system folder: too large to snapshot' };
  if (isRegenerable(token)) return { reason: 'a folder that tools regenerate' };
  let abs = resolve(cwd, written);
  if (VIRTUAL.test(abs)) return { reason: 'a device or virtual file system' };
  if (isCatastrophicPath(abs) || abs === home) return { reason: 'the whole machine, a home folder or a system folder: too large to snapshot' };
  if (/[*?[]/.test(written)) return expandTrailingGlob(abs);
  // `rm -rf link/` deletes what the link points at; without the slash only the link goes.
  if (/[\\/]$/.test(written)) {
    try {
      if (lstatSync(abs).isSymbolicLink()) abs = realpathSync(abs);
    } catch {
      /* missing: the snapshot records it */
    }
  }
  return { paths: [abs] };
}

/** `dir/*`, `dir/*.log`: a literal folder and `*` in the last part only, matched as the shell would (no dotfiles). */
function expandTrailingGlob(abs: string): { paths: string[] } | { reason: string } {
  const dir = dirname(abs);
  const pattern = basename(abs);
  if (/[*?[]/.test(dir) || /[?[\]]/.test(pattern)) return { reason: 'a pattern too complex to expand safely' };
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+^${}()|\\]/g, '\\$&')).join('.*') + '$');
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { reason: 'a pattern in a folder that cannot be read' };
  }
  const hits = names.filter((n) => re.test(n) && (pattern.startsWith('.') || !n.startsWith('.'))).sort();
  return hits.length ? { paths: hits.map((n) => join(dir, n)) } : { reason: 'a pattern that matches nothing' };
}

interface GitClean {
  /** `-C` folders, in order. */
  dirs: string[];
  flags: string[];
  excludes: string[];
  paths: string[];
}

/** The parts of `git [-C d] clean …` that decide what it removes; null when git is pointed elsewhere. */
function parseGitClean(inv: Invocation): GitClean | null {
  const a = inv.args;
  const dirs: string[] = [];
  let i = 0;
  for (; i < a.length && a[i] !== 'clean'; i++) {
    if (a[i] === '-C') dirs.push(a[++i] ?? '.');
    else if (a[i] === '-c') i++;
    else if (a[i].startsWith('--git-dir') || a[i].startsWith('--work-tree')) return null;
  }
  const out: GitClean = { dirs, flags: [], excludes: [], paths: [] };
  for (i++; i < a.length; i++) {
    const w = a[i];
    if (w === '--') {
      out.paths.push(...a.slice(i + 1));
      break;
    }
    if (w === '-e' || w === '--exclude') out.excludes.push(a[++i] ?? '');
    else if (w.startsWith('--exclude=')) out.excludes.push(w.slice(10));
    else if (w === '--force') out.flags.push('-f');
    else if (w.startsWith('--')) continue;
    else if (w.startsWith('-')) {
      for (let k = 1; k < w.length; k++) {
        const c = w[k];
        if (c === 'e') {
          out.excludes.push(w.slice(k + 1) || (a[++i] ?? ''));
          break;
        }
        if ('dxXf'.includes(c)) out.flags.push('-' + c);
      }
    } else out.paths.push(w);
  }
  return out;
}

/** What `git clean` would remove, asked of git itself; null when git cannot say. */
function gitCleanDryRun(cwd: string, c: GitClean): string[] | null {
  try {
    // Never run a repository's configured programs from the extension (fsmonitor, hooks).
    const args = ['-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false', 'clean', '--dry-run', ...c.flags, ...c.excludes.flatMap((e) => ['-e', e]), '--', ...c.paths];
    const out = execFileSync('git', args, { cwd, encoding: 'utf8', timeout: 10_000, maxBuffer: 64 * MB, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    return out
      .split('\n')
      .filter((l) => l.startsWith('Would remove '))
      .map((l) => unquoteGitPath(l.slice('Would remove '.length)));
  } catch {
    return null;
  }
}

/** git quotes unusual names C-style: "a\"b\303\251". */
function unquoteGitPath(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"')) return s;
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34 };
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      bytes.push(...Buffer.from(body[i], 'utf8'));
      continue;
    }
    const n = body[++i];
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(esc[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

