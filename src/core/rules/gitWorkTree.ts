// Git rules for uncommitted work: what resets, cleans, checks out, restores or removes over edits git cannot restore.

import { parseArgs } from '../parse/args';
import { gitCommand, gitRule } from './gitCommand';
import { defineRule, joinResources } from './rule';

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


export const rmForce = gitRule(
  'git.rm-force',
  'risky',
  'Deletes files from the working tree even when they hold uncommitted changes, which git cannot restore',
  ['rm'],
  ['--pathspec-from-file'],
  (a) => {
    if (!a.has('-f', '--force') || a.has('--cached', '-n', '--dry-run')) return null;
    const paths = [...a.positionals, ...a.rest];
    return paths.length ? { resource: joinResources(paths) } : null;
  },
  {
    gated: [
      ['git rm -rf data', 'data'],
      ['git rm -f -q config/app.yml', 'config/app.yml'],
      ['git rm --force -r -- uploads', 'uploads'],
    ],
    allowed: ['git rm -r data', 'git rm --cached -rf data', 'git rm -rf -n data'],
  },
);

export const worktreeRemoveForce = gitRule(
  'git.worktree-remove-force',
  'risky',
  'Deletes a linked working tree even when it holds uncommitted or untracked files',
  ['worktree'],
  [],
  (a) => {
    const [verb, path] = a.positionals;
    if (verb !== 'remove' || !a.has('-f', '--force')) return null;
    return { resource: path ?? 'worktree' };
  },
  {
    gated: [
      ['git worktree remove --force wt', 'wt'],
      ['git worktree remove -f -f ../hotfix', '../hotfix'],
    ],
    allowed: ['git worktree remove wt', 'git worktree add ../hotfix', 'git worktree list', 'git worktree prune'],
  },
);

export const readTreeReset = gitRule(
  'git.read-tree-reset',
  'risky',
  'Overwrites the index and the working tree with a tree, discarding uncommitted edits',
  ['read-tree'],
  ['--prefix', '--index-output', '--exclude-per-directory'],
  (a) => {
    // `-u` writes the working tree; with `--reset` (or `-m` over local edits git refuses) changes are thrown away.
    if (!a.has('-u') || !a.has('--reset')) return null;
    return { resource: a.positionals.length ? joinResources(a.positionals) : 'working tree' };
  },
  {
    gated: [
      ['git read-tree -u --reset HEAD', 'HEAD'],
      ['git read-tree --reset -u origin/main', 'origin/main'],
    ],
    allowed: ['git read-tree HEAD', 'git read-tree -m -u HEAD topic', 'git read-tree --reset HEAD'],
  },
);

export const submoduleDeinitForce = gitRule(
  'git.submodule-deinit-force',
  'risky',
  "Deletes submodules' working trees even when they hold uncommitted or untracked files",
  ['submodule'],
  [],
  (a) => {
    const [verb, ...paths] = a.positionals;
    if (verb !== 'deinit' || !a.has('-f', '--force')) return null;
    const named = [...paths, ...a.rest];
    return { resource: named.length ? joinResources(named) : 'submodules' };
  },
  {
    gated: [
      ['git submodule deinit -f --all', 'submodules'],
      ['git submodule deinit --force vendor/lib', 'vendor/lib'],
    ],
    allowed: ['git submodule deinit vendor/lib', 'git submodule update --init', 'git submodule status'],
  },
);


export const checkoutIndexForce = gitRule(
  'git.checkout-index-force',
  'risky',
  'Overwrites working-tree files with the index (plumbing), discarding uncommitted edits',
  ['checkout-index'],
  ['--prefix', '--stage'],
  (a) => {
    if (!a.has('-f', '--force') || a.has('--temp') || a.value('--prefix')) return null;
    const paths = [...a.positionals, ...a.rest];
    return { resource: a.has('-a', '--all') || !paths.length ? '.' : joinResources(paths) };
  },
  {
    gated: [
      ['git checkout-index -a -f', '.'],
      ['git checkout-index -f -- src/app.ts', 'src/app.ts'],
    ],
    allowed: ['git checkout-index -a', 'git checkout-index -a -f --prefix=export/', 'git checkout-index --temp -f src/app.ts'],
  },
);
