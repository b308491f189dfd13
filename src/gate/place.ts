// Reads what names a held command's resource in its working folder: the folder's name, the checked-out git branch,
// the selected Terraform workspace. Small reads, done only for commands that wait for a person.

import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Place } from '../core/place';

/** How many folders up to look for the repository. */
const MAX_UP = 40;

export function readPlace(cwd: string, env: NodeJS.ProcessEnv = process.env): Place {
  if (!cwd || !isAbsolute(cwd)) return {};
  const place: Place = {};
  const folder = basename(cwd);
  if (folder) place.folder = folder;
  const git = gitDir(cwd);
  const branch = git && branchOf(git);
  if (branch) place.gitBranch = branch;
  const repo = git && originRepository(git);
  if (repo) place.gitRepository = repo;
  const pkg = npmPackage(cwd);
  if (pkg) place.npmPackage = pkg;
  const ws = terraformWorkspace(cwd, env);
  if (ws) place.terraformWorkspace = ws;
  return place;
}

function read(file: string, limit = 4096): string | undefined {
  try {
    const st = statSync(file);
    return st.isFile() && st.size < limit ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The nearest repository's git folder: `.git` itself, or where a worktree's `gitdir:` file points. */
export function gitDir(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (let i = 0; i < MAX_UP; i++) {
    const dotGit = join(dir, '.git');
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) return dotGit;
      if (st.isFile()) {
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(read(dotGit) ?? '');
        if (m) return resolve(dir, m[1]);
      }
    } catch {
      // no .git here
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** The branch HEAD points at; none when detached. */
function branchOf(git: string): string | undefined {
  return /^ref:\s*refs\/heads\/(\S+)\s*$/.exec(read(join(git, 'HEAD')) ?? '')?.[1];
}

export function gitBranch(cwd: string): string | undefined {
  const git = gitDir(cwd);
  return git && branchOf(git);
}

/** `owner/name` of the `origin` remote, from the repository's config (a worktree's is in its common folder). */
function originRepository(git: string): string | undefined {
  const common = read(join(git, 'commondir'))?.trim();
  const config = read(join(common ? resolve(git, common) : git, 'config'), 256 * 1024) ?? '';
  let inOrigin = false;
  for (const line of config.split('\n')) {
    const section = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line);
    if (section) inOrigin = /^remote\s+"origin"$/.test(section[1]);
    const url = inOrigin && /^\s*url\s*=\s*(\S+)\s*$/.exec(line)?.[1];
    if (url) return repositoryOf(url);
  }
  return undefined;
}

/** `git@github.com:acme/api.git`, `https://github.com/acme/api`, `ssh://git@host/acme/api.git` -> `acme/api`. */
export function repositoryOf(url: string): string | undefined {
  const path = url.replace(/^[a-z+]+:\/\/[^/]+\//i, '').replace(/^[^@/]+@[^:/]+:/, '').replace(/\.git\/?$/, '').replace(/\/+$/, '');
  const parts = path.split('/').filter(Boolean);
  return parts.length >= 2 ? parts.slice(-2).join('/') : undefined;
}

/** `name@version` from the folder's own package.json. */
function npmPackage(cwd: string): string | undefined {
  try {
    const pkg = JSON.parse(read(join(cwd, 'package.json'), 1024 * 1024) ?? 'null') as { name?: unknown; version?: unknown } | null;
    if (!pkg || typeof pkg.name !== 'string' || !pkg.name) return undefined;
    return typeof pkg.version === 'string' && pkg.version ? `${pkg.name}@${pkg.version}` : pkg.name;
  } catch {
    return undefined;
  }
}

/** The workspace `terraform workspace select` wrote; TF_WORKSPACE is read by the rule from the command itself. */
export function terraformWorkspace(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dataDir = env.TF_DATA_DIR ? resolve(cwd, env.TF_DATA_DIR) : join(cwd, '.terraform');
  return read(join(dataDir, 'environment'))?.trim() || undefined;
}
