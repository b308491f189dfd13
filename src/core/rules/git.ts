// Git: history and work that cannot be got back — force pushes, remote deletes, branch and stash drops, rewrites,
// hooks and programs set in config. The rules over uncommitted work (hard resets, cleans, checkouts) are in gitWorkTree.ts.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { Args, parseArgs } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { ELSEWHERE, GitCommand, gitCommand, gitRule } from './gitCommand';
import { defineRule, joinResources } from './rule';

export { gitCommand } from './gitCommand';
export type { GitCommand } from './gitCommand';
export * from './gitWorkTree';

const PUSH_VALUES = ['-o', '--push-option', '--repo', '--receive-pack', '--exec', '--force-with-lease'];

/** The remote branch a refspec writes to: `+main` -> main, `HEAD:release` -> release, `refs/heads/x` -> x. */
function refspecTarget(spec: string): string {
  const s = spec.replace(/^\+/, '');
  const dst = s.includes(':') ? s.slice(s.indexOf(':') + 1) : s;
  return dst.replace(/^refs\/(heads|tags)\//, '');
}

function pushTargets(a: Args): { remote?: string; refs: string[] } {
  const [remote, ...refs] = a.positionals;
  return { remote, refs };
}

export const forcePush = gitRule(
  'git.force-push',
  'destructive',
  'Rewrites the remote branch, discarding commits other people may have',
  ['push'],
  PUSH_VALUES.filter((v) => v !== '--force-with-lease'),
  (a) => {
    const { remote, refs } = pushTargets(a);
    const plus = refs.filter((r) => r.startsWith('+'));
    const forced = a.has('-f', '--force', '--mirror') || plus.length > 0;
    const leased = a.names().some((n) => n === '--force-with-lease' || n === '--force-if-includes');
    if (!forced && !leased) return null;
    const named = (plus.length && !a.has('-f', '--force') ? plus : refs).filter((r) => !r.startsWith(':'));
    const resource = named.length ? joinResources(named.map(refspecTarget)) : a.has('--mirror') ? (remote ?? 'origin') : 'HEAD';
    // No branch named: git pushes the current one, and that branch is the name a person knows.
    return { resource, ...(resource === 'HEAD' ? { inPlace: 'git-branch' as const } : {}), ...(forced ? {} : { severity: 'risky' as const, detail: 'with lease: refuses if the remote moved' }) };
  },
  {
    gated: [
      ['git push --force origin main', 'main'],
      ['git push origin main -f', 'main'],
      ['git push origin +main', 'main'],
      ['git push -f origin HEAD:release/2.1', 'release/2.1'],
      ['git -C ../api push --force-with-lease origin feature/x', 'feature/x'],
      ['git push --mirror backup', 'backup'],
      ['git push -f', 'HEAD', [{ gitBranch: 'feature/login' }, 'feature/login']],
      ['git push --force origin HEAD', 'HEAD', [{ gitBranch: 'main' }, 'main']],
      ['git push --force-with-lease', 'HEAD', [{ gitBranch: 'main' }, 'main']],
      // Detached HEAD: no branch to name.
      ['git push -f origin', 'HEAD', [{ folder: 'api' }, 'HEAD']],
      // Another repository's branch: the working folder's branch would be the wrong name.
      ['git -C ../api push -f', 'HEAD', [{ gitBranch: 'main' }, 'HEAD']],
      ['cd ../api && git push -f', 'HEAD', [{ gitBranch: 'main' }, 'HEAD']],
    ],
    allowed: ['git push origin main', 'git push -u origin HEAD', 'git push --tags', 'git commit -m "force push fix"'],
  },
);

export const remoteDelete = gitRule(
  'git.remote-delete',
  'destructive',
  'Deletes a branch or tag on the remote',
  ['push'],
  PUSH_VALUES,
  (a) => {
    const { refs } = pushTargets(a);
    if (a.has('-d', '--delete')) return refs.length ? { resource: joinResources(refs.map(refspecTarget)) } : null;
    const deleted = refs.filter((r) => r.startsWith(':') && r.length > 1);
    if (a.has('--prune')) return { resource: joinResources(deleted.length ? deleted.map((r) => r.slice(1)) : [a.positionals[0] ?? 'origin']) };
    return deleted.length ? { resource: joinResources(deleted.map((r) => r.slice(1).replace(/^refs\/(heads|tags)\//, ''))) } : null;
  },
  {
    gated: [
      ['git push origin --delete release/1.0', 'release/1.0'],
      ['git push origin :legacy', 'legacy'],
      ['git push -d origin v1.2.0', 'v1.2.0'],
      ['git push --prune origin', 'origin'],
    ],
    allowed: ['git push origin feature', 'git branch -d merged-feature'],
  },
);

export const branchForceDelete = gitRule(
  'git.branch-force-delete',
  'risky',
  'Deletes a local branch even if its commits are not merged anywhere',
  ['branch'],
  ['-u', '--set-upstream-to', '--contains', '--merged', '--no-merged', '--sort', '--format', '--points-at'],
  (a) => {
    const force = a.has('-D') || (a.has('-d', '--delete') && a.has('-f', '--force'));
    return force && a.positionals.length ? { resource: joinResources(a.positionals) } : null;
  },
  {
    gated: [
      ['git branch -D experiment', 'experiment'],
      ['git branch --delete --force old-work', 'old-work'],
    ],
    allowed: ['git branch -d merged', 'git branch -a', 'git branch new-feature'],
  },
);

export const stashDrop = gitRule(
  'git.stash-drop',
  'risky',
  'Drops stashed changes, which are then hard to get back',
  ['stash'],
  [],
  (a) => {
    const [verb, ref] = a.positionals;
    if (verb === 'clear') return { resource: 'stash' };
    if (verb === 'drop') return { resource: ref ?? 'stash@{0}' };
    return null;
  },
  {
    gated: [
      ['git stash clear', 'stash'],
      ['git stash drop stash@{2}', 'stash@{2}'],
    ],
    allowed: ['git stash', 'git stash pop', 'git stash list'],
  },
);

export const historyRewrite = defineRule({
  id: 'git.history-rewrite',
  severity: 'destructive',
  summary: 'Rewrites the whole history of the repository',
  programs: ['git', 'git-filter-repo', 'bfg'],
  match(inv) {
    if (inv.program !== 'git') return inv.args.length && !inv.args.includes('--help') ? { resource: inv.program } : null;
    const g = gitCommand(inv);
    if (!g || (g.sub !== 'filter-branch' && g.sub !== 'filter-repo')) return null;
    if (g.args.includes('--help') || g.args.includes('--analyze') || g.args.includes('--dry-run')) return null;
    return { resource: g.sub };
  },
  examples: {
    gated: [
      ['git filter-branch --tree-filter "rm -f secrets.txt" HEAD', 'filter-branch'],
      ['git filter-repo --path secrets --invert-paths', 'filter-repo'],
    ],
    allowed: ['git filter-repo --analyze', 'git log --all'],
  },
});

export const unrecoverableGc = defineRule({
  id: 'git.expire-reflog',
  severity: 'risky',
  summary: 'Removes the safety net that lets lost commits be recovered',
  programs: ['git'],
  match(inv) {
    const g = gitCommand(inv);
    if (!g) return null;
    if (g.sub === 'reflog' && (g.args[0] === 'expire' || g.args[0] === 'delete')) {
      return g.args.some((x) => /^--expire(-unreachable)?=(now|all|0)/.test(x)) || g.args[0] === 'delete' ? { resource: 'reflog' } : null;
    }
    if (g.sub === 'gc' && g.args.some((x) => /^--prune=(now|all)$/.test(x))) return { resource: 'reflog' };
    if (g.sub === 'update-ref' && (g.args.includes('-d') || g.args.includes('--delete'))) {
      const ref = g.args.find((x) => !x.startsWith('-'));
      return { resource: ref ?? 'ref' };
    }
    return null;
  },
  examples: {
    gated: [
      ['git reflog expire --expire=now --all', 'reflog'],
      ['git gc --prune=now', 'reflog'],
      ['git update-ref -d refs/heads/main', 'refs/heads/main'],
    ],
    allowed: ['git gc', 'git reflog', 'git reflog show'],
  },
});

/** The folder holding a repository's refs, found from a working folder (worktrees share their main one's). */
function refsDir(cwd: string): string | undefined {
  for (let dir = cwd, i = 0; i < 64; i++) {
    const dotGit = posix.join(dir, '.git');
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) return dotGit;
      const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      if (!gitdir) return undefined;
      const own = posix.resolve(dir, gitdir);
      const common = existsSync(posix.join(own, 'commondir')) ? readFileSync(posix.join(own, 'commondir'), 'utf8').trim() : undefined;
      return common ? posix.resolve(own, common) : own;
    } catch {
      const up = posix.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  }
  return undefined;
}

/** Whether a local branch exists; undefined when the repository is not found from the line's folder. */
function branchExists(inv: Invocation, g: GitCommand, name: string): boolean | undefined {
  // Only where the caller said where the line runs (the site reads files there).
  const cwd = inv.site?.readsFiles ? inv.site.cwd : undefined;
  const globals = inv.args.slice(0, inv.args.length - g.args.length - 1);
  if (!cwd || globals.some((x) => ELSEWHERE.includes(x.split('=')[0])) || inv.env.GIT_DIR) return undefined;
  const refs = refsDir(cwd);
  if (!refs) return undefined;
  if (existsSync(posix.join(refs, 'refs', 'heads', name))) return true;
  try {
    return readFileSync(posix.join(refs, 'packed-refs'), 'utf8').split('\n').some((l) => l.endsWith(` refs/heads/${name}`));
  } catch {
    return false;
  }
}

export const branchMove = defineRule({
  id: 'git.branch-move',
  severity: 'risky',
  summary: 'Points a branch at another commit; the commits it held stay reachable only through the reflog',
  programs: ['git'],
  match(inv) {
    const g = gitCommand(inv);
    if (!g) return null;
    let name: string | undefined;
    if (g.sub === 'branch') {
      const a = parseArgs(g.args, { values: ['-u', '--set-upstream-to', '--contains', '--no-contains', '--merged', '--no-merged', '--sort', '--format', '--points-at', '--column'] });
      // Deletes, renames and copies are other rules' business (and `branch -M main` names a new branch).
      if (!a.has('-f', '--force') || a.has('-d', '-D', '--delete', '-m', '-M', '--move', '-c', '-C', '--copy', '-l', '--list')) return null;
      name = a.positionals[0];
    } else if (g.sub === 'checkout' || g.sub === 'switch') {
      // `checkout -B name start`, `switch -C name start`: reset name to start when it exists.
      const a = parseArgs(g.args, { values: ['-B', '-C', '-b', '-c', '--orphan', '--conflict', '--pathspec-from-file'] });
      name = a.value(g.sub === 'checkout' ? '-B' : '-C', '--force-create');
      if (!name) return null;
    } else if (g.sub === 'update-ref') {
      const a = parseArgs(g.args, { values: ['-m', '--create-reflog'] });
      if (a.has('-d', '--delete', '--stdin')) return a.has('--stdin') ? { resource: 'refs (from stdin)' } : null;
      const [ref, value] = a.positionals;
      if (!ref || !value) return null;
      name = ref.replace(/^refs\/heads\//, '');
      // Other refs (tags, remotes, notes) are moved all the same; only a branch is looked up.
      if (!ref.startsWith('refs/heads/')) return { resource: ref };
    } else return null;
    if (!name) return null;
    // Creating a branch loses nothing: only one that exists (or a repository not found) is held.
    return branchExists(inv, g, name) === false ? null : { resource: name };
  },
  examples: {
    gated: [
      ['git branch -f main HEAD~1', 'main'],
      ['git branch --force release origin/release~3', 'release'],
      ['git update-ref refs/heads/main HEAD~2', 'main'],
      ['git update-ref --stdin < refs.txt', 'refs (from stdin)'],
      ['git -C /nonexistent-repo checkout -B main origin/main', 'main'],
      ['git update-ref refs/tags/v1 HEAD', 'refs/tags/v1'],
    ],
    allowed: ['git branch -M main', 'git branch feature/x', 'git branch -d merged', 'git update-ref -d refs/heads/old', 'git branch -f', 'git checkout -b topic', 'git switch -c topic'],
  },
});

/** Settings whose value git runs as a program (or a folder of programs) later, outside the line that set them. */
const RUNS_CODE = /^(core\.(hookspath|fsmonitor|sshcommand|pager|editor|askpass)|sequence\.editor|diff\.external|diff\.[^.]+\.(textconv|command)|merge\.[^.]+\.driver|filter\.[^.]+\.(clean|smudge|process)|gpg(\.[^.]+)?\.program|credential\.helper|alias\..+)$/i;

/** Settings that name one program to run: a plain program word (`code --wait`, `delta`, `store`) is not a script. */
const NAMES_A_PROGRAM = /^(core\.(pager|editor|sshcommand|askpass)|sequence\.editor|credential\.helper|gpg(\.[^.]+)?\.program)$/i;
const SHELLS_AND_INTERPRETERS = /^(sh|bash|zsh|dash|ksh|fish|env|node|deno|bun|python[\d.]*|perl|ruby|php|eval|exec)$/;

/** Whether setting key to value makes git run code the line does not show: a hooks folder, a script, a shell alias. */
function runsCode(key: string, value: string | undefined): boolean {
  if (!RUNS_CODE.test(key)) return false;
  if (/^alias\./i.test(key)) {
    const v = (value ?? '!').trimStart();
    if (!v.startsWith('!')) return false;
    // A simple command shown whole (`!git status -sb`) cannot change later and is judged as one when the line is
    // read; a script, a shell or operators can.
    const cmd = v.slice(1).trim();
    const first = cmd.split(/\s+/)[0];
    return value === undefined || !/^[\w.+-]+$/.test(first) || SHELLS_AND_INTERPRETERS.test(first) || /[;&|`$<>()\\]/.test(cmd);
  }
  if (/^core\.fsmonitor$/i.test(key) && value !== undefined && /^(true|false|)$/i.test(value.trim())) return false;
  if (NAMES_A_PROGRAM.test(key) && value !== undefined) {
    const words = value.trim().split(/\s+/);
    // `code --wait`, `less -R`, `cache --timeout=3600`: one program from PATH with options.
    if (/^[\w.+-]+$/.test(words[0]) && !SHELLS_AND_INTERPRETERS.test(words[0]) && words.slice(1).every((w) => /^-[\w.=-]*$/.test(w))) return false;
  }
  return true;
}

export const configRunsCode = defineRule({
  id: 'git.config-runs-code',
  severity: 'risky',
  summary: 'Sets a git setting whose value git later runs as a program (hooks folder, pager, editor, filter, shell alias)',
  programs: ['git'],
  match(inv) {
    // `git -c core.hooksPath=hk commit` on the line itself.
    for (let i = 0; i < inv.args.length - 1; i++) {
      if (inv.args[i] !== '-c') continue;
      const kv = inv.args[i + 1];
      const eq = kv.indexOf('=');
      const key = eq > 0 ? kv.slice(0, eq) : kv;
      if (runsCode(key, eq > 0 ? kv.slice(eq + 1) : undefined)) return { resource: key };
    }
    const g = gitCommand(inv);
    if (!g || g.sub !== 'config') return null;
    const a = parseArgs(g.args, { values: ['-f', '--file', '--blob', '--type', '--default', '--comment', '--value'] });
    if (a.has('--get', '--get-all', '--get-regexp', '-l', '--list', '--unset', '--unset-all', '--remove-section', '--rename-section', '-e', '--edit')) return null;
    let words = a.positionals;
    if (['set', 'add', 'replace-all'].includes(words[0])) words = words.slice(1);
    const [key, value] = words;
    return key && value !== undefined && runsCode(key, value) ? { resource: key } : null;
  },
  examples: {
    gated: [
      ['git config core.hooksPath hk', 'core.hooksPath'],
      ['git config --local core.fsmonitor ./watch.sh', 'core.fsmonitor'],
      ["git config alias.wipe '!sh ./wipe.sh'", 'alias.wipe'],
      ["git config alias.wipe '!rm -rf data; git gc'", 'alias.wipe'],
      ['git config set core.pager "sh x.sh"', 'core.pager'],
      ['git -c core.hooksPath=hk commit -m x', 'core.hooksPath'],
      ['git config filter.x.smudge ./s.sh', 'filter.x.smudge'],
      ['git config --global core.editor "sh -c \'rm -rf data\'"', 'core.editor'],
      ['git -c core.pager=./p.sh log', 'core.pager'],
    ],
    allowed: ['git config core.hooksPath', 'git config --get core.hooksPath', 'git config user.email a@b.c', 'git config alias.co checkout', "git config --global alias.st '!git status -sb'", 'git config --unset core.hooksPath', 'git -c user.name=a commit -m x', 'git config --global core.editor "code --wait"', 'git config --global core.pager delta', 'git config --global credential.helper store', 'git config core.fsmonitor true', 'git -c core.pager=less commit -m x'],
  },
});
