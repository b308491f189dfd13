// Git: history and work that cannot be got back — force pushes, remote deletes, hard resets, cleans, rewrites.

import { Args, parseArgs } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { defineRule, GatedExample, joinResources, RuleMatch } from './rule';

/** Global options that point git at another repository than the working folder's. */
const ELSEWHERE = ['-C', '--git-dir', '--work-tree'];
const GLOBAL_VALUE_OPTIONS = ['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--config-env', '--super-prefix'];

export interface GitCommand {
  sub: string;
  args: string[];
}

/** The git subcommand and its own arguments, past git's global options (`git -C dir -c k=v push …`). */
export function gitCommand(inv: Invocation): GitCommand | null {
  const a = inv.args;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (GLOBAL_VALUE_OPTIONS.includes(x)) {
      i++;
      continue;
    }
    if (x.startsWith('-')) continue;
    return { sub: x, args: a.slice(i + 1) };
  }
  return null;
}

function gitRule(
  id: string,
  severity: 'risky' | 'destructive',
  summary: string,
  subs: readonly string[],
  values: readonly string[],
  match: (args: Args) => RuleMatch | null,
  examples: { gated: GatedExample[]; allowed: string[] },
) {
  return defineRule({
    id,
    severity,
    summary,
    programs: ['git'],
    match(inv) {
      const g = gitCommand(inv);
      if (!g || !subs.includes(g.sub)) return null;
      const m = match(parseArgs(g.args, { values }));
      // `git -C ../api push -f` pushes another repository's branch: the working folder does not name it.
      if (m?.inPlace && (inv.args.slice(0, inv.args.length - g.args.length).some((x) => ELSEWHERE.includes(x.split('=')[0])) || inv.env.GIT_DIR || inv.env.GIT_WORK_TREE)) delete m.inPlace;
      return m;
    },
    examples,
  });
}

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

export const resetHard = gitRule(
  'git.reset-hard',
  'risky',
  'Throws away uncommitted changes in the working tree',
  ['reset'],
  [],
  (a) => (a.has('--hard') ? (a.positionals[0] ? { resource: a.positionals[0] } : { resource: 'HEAD', inPlace: 'git-branch' }) : null),
  {
    gated: [
      ['git reset --hard', 'HEAD', [{ gitBranch: 'main' }, 'main']],
      ['git reset --hard HEAD', 'HEAD'],
      ['git reset --hard origin/main', 'origin/main'],
      ['git reset HEAD~3 --hard', 'HEAD~3'],
    ],
    allowed: ['git reset', 'git reset --soft HEAD~1', 'git reset HEAD file.txt'],
  },
);

export const clean = gitRule(
  'git.clean',
  'risky',
  'Deletes untracked files, which git cannot restore',
  ['clean'],
  ['-e', '--exclude'],
  (a) => {
    if (!a.has('-f', '--force') || a.has('-n', '--dry-run')) return null;
    const paths = [...a.positionals, ...a.rest];
    return { resource: paths.length ? joinResources(paths) : '.', ...(a.has('-x', '-X') ? { detail: 'including ignored files' } : {}) };
  },
  {
    gated: [
      ['git clean -fd', '.'],
      ['git clean -fdx', '.'],
      ['git clean -f -- uploads/', 'uploads/'],
    ],
    allowed: ['git clean -n', 'git clean -fdn', 'git clean --dry-run -fd'],
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

export const discardWorkTree = gitRule(
  'git.discard-changes',
  'risky',
  'Overwrites files in the working tree, discarding uncommitted edits',
  ['checkout', 'switch'],
  ['-b', '-B', '--orphan', '-c', '-C', '--conflict', '--pathspec-from-file'],
  (a) => {
    if (a.has('-b', '-B', '-c', '-C', '--orphan')) return null;
    if (a.has('-f', '--force', '--discard-changes')) return { resource: a.positionals[0] ?? 'working tree' };
    // `checkout <tree-ish> -- <paths>`, `checkout .`, `checkout <tree-ish> <paths>` overwrite files.
    const paths = a.rest.length ? a.rest : a.positionals.includes('.') ? ['.'] : a.positionals.slice(1);
    return paths.length ? { resource: joinResources(paths) } : null;
  },
  {
    gated: [
      ['git checkout -- .', '.'],
      ['git checkout .', '.'],
      ['git checkout HEAD -- src/app.ts', 'src/app.ts'],
      ['git checkout -f main', 'main'],
    ],
    allowed: ['git checkout main', 'git checkout -b feature/x', 'git switch -c topic', 'git switch main'],
  },
);

export const restoreWorkTree = defineRule({
  id: 'git.restore',
  severity: 'risky',
  summary: 'Overwrites files in the working tree, discarding uncommitted edits',
  programs: ['git'],
  match(inv) {
    const g = gitCommand(inv);
    if (!g || g.sub !== 'restore') return null;
    const a = parseArgs(g.args, { values: ['-s', '--source', '--pathspec-from-file'] });
    if (a.has('-S', '--staged') && !a.has('-W', '--worktree')) return null;
    const paths = [...a.positionals, ...a.rest];
    return paths.length ? { resource: joinResources(paths) } : null;
  },
  examples: {
    gated: [
      ['git restore .', '.'],
      ['git restore --source=HEAD~2 config.yml', 'config.yml'],
    ],
    allowed: ['git restore --staged .', 'git status'],
  },
});

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
