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
  const config = git ? gitConfig(git) : '';
  const branch = git && branchOf(git);
  // The branch a bare `git push` writes is the current one only when nothing redirects it (an upstream of another
  // name, a push refspec): otherwise the name would mislead, and the box keeps HEAD.
  if (branch && pushesItself(config, branch)) place.gitBranch = branch;
  const repo = originRepository(config);
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
  return readPlace(cwd).gitBranch;
}

/** The repository's config text (a worktree's lives in its common folder). */
function gitConfig(git: string): string {
  const common = read(join(git, 'commondir'))?.trim();
  return read(join(common ? resolve(git, common) : git, 'config'), 256 * 1024) ?? '';
}

/** Each `key = value` of a git config, with the section it is in (`remote "origin"`, `branch "main"`, `push`). */
function* configEntries(config: string): Generator<{ section: string; key: string; value: string }> {
  let section = '';
  for (const line of config.split('\n')) {
    const head = /^\s*\[\s*([^\]]+?)\s*\]/.exec(line);
    if (head) section = head[1].replace(/\s+/g, ' ');
    const kv = /^\s*([A-Za-z][\w-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (kv && !head) yield { section, key: kv[1].toLowerCase(), value: kv[2].replace(/^"(.*)"$/, '$1') };
  }
}

/** Whether a bare `git push` from `branch` writes the remote branch of the same name. */
function pushesItself(config: string, branch: string): boolean {
  for (const e of configEntries(config)) {
    if (e.key === 'push' && /^remote /.test(e.section)) return false;
    if (e.section === 'push' && e.key === 'default' && e.value === 'upstream') return false;
    if (e.section === `branch "${branch}"` && e.key === 'merge' && e.value.replace(/^refs\/heads\//, '') !== branch) return false;
  }
  return true;
}

/** `owner/name` of the only remote; none with several (gh picks `upstream` first, or the one set as default). */
function originRepository(config: string): string | undefined {
  const urls = new Map<string, string>();
  for (const e of configEntries(config)) if (/^remote "/.test(e.section) && e.key === 'url' && !urls.has(e.section)) urls.set(e.section, e.value);
  return urls.size === 1 ? repositoryOf([...urls.values()][0]) : undefined;
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
