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
  const branch = gitBranch(cwd);
  if (branch) place.gitBranch = branch;
  const ws = terraformWorkspace(cwd, env);
  if (ws) place.terraformWorkspace = ws;
  return place;
}

function read(file: string): string | undefined {
  try {
    const st = statSync(file);
    return st.isFile() && st.size < 4096 ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The branch HEAD points at, from the nearest `.git` (a folder, or a worktree's `gitdir:` file); none when detached. */
export function gitBranch(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (let i = 0; i < MAX_UP; i++) {
    const dotGit = join(dir, '.git');
    let gitDir: string | undefined;
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) gitDir = dotGit;
      else if (st.isFile()) {
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(read(dotGit) ?? '');
        if (m) gitDir = resolve(dir, m[1]);
      }
    } catch {
      // no .git here
    }
    if (gitDir) {
      const m = /^ref:\s*refs\/heads\/(\S+)\s*$/.exec(read(join(gitDir, 'HEAD')) ?? '');
      return m?.[1];
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** The workspace `terraform workspace select` wrote; TF_WORKSPACE is read by the rule from the command itself. */
export function terraformWorkspace(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dataDir = env.TF_DATA_DIR ? resolve(cwd, env.TF_DATA_DIR) : join(cwd, '.terraform');
  return read(join(dataDir, 'environment'))?.trim() || undefined;
}
