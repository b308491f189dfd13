// Package and repository hosting: npm unpublish, deprecate and dist-tags, gh/glab repo and release deletes, yanks.

import type { ArgSpec } from '../parse/args';
import type { Invocation } from '../parse/invocation';
import { defineRule, joinResources, standIn } from './rule';

const NPM_ARGS: ArgSpec = {
  values: ['--registry', '--otp', '-w', '--workspace', '--tag', '--access', '--userconfig', '--globalconfig', '--cache', '--prefix', '-C', '--dir', '--loglevel', '--scope', '--auth-type', '--filter', '-F'],
};

/** `pkg@1.2.3` and `@scope/pkg@^1` name versions; `pkg` and `@scope/pkg` name the whole package. */
function namesVersion(spec: string): boolean {
  return spec.lastIndexOf('@') > 0;
}

export const unpublish = defineRule({
  id: 'packages.unpublish',
  severity: 'destructive',
  summary: 'Removes published versions from the registry for everyone who depends on them; a version number can never be reused',
  programs: ['npm', 'pnpm', 'yarn'],
  match(inv) {
    const a = inv.parsed(NPM_ARGS);
    // Yarn Berry's `yarn npm unpublish [--all]` is npm's unpublish under another word.
    const words = inv.program === 'yarn' ? (a.positionals[0] === 'npm' ? a.positionals.slice(1) : []) : a.positionals;
    const [command, spec] = words;
    if (command !== 'unpublish' || a.has('--dry-run', '--help', '-h')) return null;
    if (inv.program === 'yarn') {
      return a.has('--all', '-A') ? { resource: standIn(inv, 'unpublish'), inPlace: 'npm-package' as const, severity: 'catastrophic' as const, detail: 'every version of the package' } : { resource: standIn(inv, 'unpublish'), inPlace: 'npm-package' as const };
    }
    // With --force and no version, every version goes and the name is locked for a day; without a spec,
    // the current version from package.json.
    const whole = !!spec && !namesVersion(spec) && a.has('--force', '-f');
    // No spec: the folder's package.json names what goes.
    return { ...(spec ? { resource: spec } : { resource: standIn(inv, 'unpublish'), inPlace: 'npm-package' as const }), ...(whole ? { severity: 'catastrophic' as const, detail: 'every version of the package' } : {}) };
  },
  examples: {
    gated: [
      ['npm unpublish @acme/ui@2.3.1', '@acme/ui@2.3.1'],
      ['npm unpublish left-pad --force', 'left-pad'],
      ['pnpm unpublish "acme-cli@<2"', 'acme-cli@<2'],
      ['npm unpublish', 'npm unpublish', [{ folder: 'ui', npmPackage: '@acme/ui@2.3.1' }, '@acme/ui@2.3.1']],
      ['yarn npm unpublish --all', 'yarn unpublish', [{ folder: 'ui', npmPackage: '@acme/ui@2.3.1' }, '@acme/ui@2.3.1']],
    ],
    allowed: ['yarn npm publish', 'yarn npm info left-pad', 'yarn add unpublish', 'npm publish --access public', 'npm unpublish @acme/ui@2.3.1 --dry-run', 'npm view @acme/ui versions', 'npm help unpublish'],
  },
});

export const deprecate = defineRule({
  id: 'packages.deprecate',
  severity: 'risky',
  summary: 'Marks published versions deprecated, so every install of them prints a warning',
  programs: ['npm', 'pnpm'],
  match(inv) {
    const a = inv.parsed(NPM_ARGS);
    const [command, spec, message] = a.positionals;
    // An empty message lifts a deprecation.
    if (command !== 'deprecate' || !spec || message === '' || a.has('--dry-run', '--help', '-h')) return null;
    return { resource: spec };
  },
  examples: {
    gated: [
      ['npm deprecate acme-sdk@"<3.0.0" "Upgrade to 3.x"', 'acme-sdk@<3.0.0'],
      ['pnpm deprecate @acme/ui@1 "no longer maintained"', '@acme/ui@1'],
    ],
    allowed: ['npm deprecate acme-sdk@2.0.0 ""', 'npm install acme-sdk@3', 'npm outdated'],
  },
});

export const distTagRemove = defineRule({
  id: 'packages.dist-tag-remove',
  severity: 'risky',
  summary: 'Removes a dist-tag, changing which version installs by that tag',
  programs: ['npm', 'pnpm', 'yarn'],
  match(inv) {
    const words = inv.parsed(NPM_ARGS).positionals;
    // npm dist-tag rm pkg tag; yarn (classic) tag remove pkg tag; yarn (berry) npm tag remove pkg tag.
    const at = words[0] === 'npm' && inv.program === 'yarn' ? 1 : 0;
    const [command, verb, pkg, tag] = words.slice(at);
    const isTagCommand = inv.program === 'yarn' ? command === 'tag' : command === 'dist-tag' || command === 'dist-tags';
    if (!isTagCommand || (verb !== 'rm' && verb !== 'remove') || !pkg || !tag) return null;
    return { resource: `${pkg}@${tag}` };
  },
  examples: {
    gated: [
      ['npm dist-tag rm @acme/ui beta', '@acme/ui@beta'],
      ['yarn npm tag remove acme-cli next', 'acme-cli@next'],
    ],
    allowed: ['npm dist-tag add @acme/ui@2.4.0 latest', 'npm dist-tag ls @acme/ui', 'yarn tag list acme-cli'],
  },
});

export const ownerRemove = defineRule({
  id: 'packages.owner-remove',
  severity: 'risky',
  summary: "Removes a maintainer's right to publish a package",
  programs: ['npm', 'pnpm', 'yarn'],
  match(inv) {
    const [command, verb, user, pkg] = inv.parsed(NPM_ARGS).positionals;
    if ((command !== 'owner' && command !== 'author') || (verb !== 'rm' && verb !== 'remove') || !user) return null;
    return { resource: user, detail: pkg ? `from ${pkg}` : undefined };
  },
  examples: {
    gated: [
      ['npm owner rm alice @acme/ui', 'alice'],
      ['yarn owner remove bob acme-cli', 'bob'],
    ],
    allowed: ['npm owner ls @acme/ui', 'npm owner add carol @acme/ui'],
  },
});

/** gh and glab options that take a value, wherever they appear. */
const FORGE_ARGS: ArgSpec = {
  values: [
    '-R', '--repo', '-X', '--method', '-H', '--header', '-f', '--raw-field', '-F', '--field', '--input', '-q', '--jq', '-t', '--template',
    '-p', '--preview', '--hostname', '-e', '--env', '-o', '--org', '-a', '--app', '--cache', '-b', '--body', '-g', '--group', '-s', '--scope',
  ],
};

/** `gh repo delete …` -> the words after `repo delete`, or null for another command. */
function forgeCommand(inv: Invocation, noun: string, verbs: readonly string[]): string[] | null {
  const a = inv.parsed(FORGE_ARGS);
  const [first, verb, ...rest] = a.positionals;
  if (first !== noun || !verbs.includes(verb) || a.has('--help', '-h')) return null;
  return rest;
}

export const repoDelete = defineRule({
  id: 'packages.repo-delete',
  severity: 'catastrophic',
  summary: 'Deletes a whole repository: its code, issues, pull requests, releases and wiki',
  programs: ['gh', 'glab'],
  match(inv) {
    const rest = forgeCommand(inv, 'repo', ['delete']);
    // No name: gh deletes the repository the folder's remote points at.
    return rest ? (rest[0] ? { resource: rest[0] } : { resource: standIn(inv, 'repo delete'), inPlace: 'git-repository' }) : null;
  },
  examples: {
    gated: [
      ['gh repo delete acme/api --yes', 'acme/api'],
      ['glab repo delete acme/platform/api -y', 'acme/platform/api'],
      ['gh repo delete', 'gh repo delete', [{ folder: 'api', gitRepository: 'acme/api' }, 'acme/api']],
    ],
    allowed: ['gh repo view acme/api', 'gh repo clone acme/api', 'gh repo create acme/new --private', 'gh repo delete --help'],
  },
});

export const repoArchive = defineRule({
  id: 'packages.repo-archive',
  severity: 'risky',
  summary: 'Archives a repository, making it read-only for everyone',
  programs: ['gh'],
  match(inv) {
    const rest = forgeCommand(inv, 'repo', ['archive']);
    return rest ? (rest[0] ? { resource: rest[0] } : { resource: standIn(inv, 'repo archive'), inPlace: 'git-repository' }) : null;
  },
  examples: {
    gated: [
      ['gh repo archive acme/legacy -y', 'acme/legacy'],
      ['gh repo archive', 'gh repo archive', [{ gitRepository: 'acme/legacy' }, 'acme/legacy']],
    ],
    allowed: ['gh repo unarchive acme/legacy', 'gh repo list acme --archived'],
  },
});

export const releaseDelete = defineRule({
  id: 'packages.release-delete',
  severity: 'destructive',
  summary: 'Deletes a release with its notes and uploaded assets',
  programs: ['gh', 'glab'],
  match(inv) {
    const rest = forgeCommand(inv, 'release', ['delete']);
    if (!rest?.length) return null;
    const withTag = inv.parsed(FORGE_ARGS).has('--cleanup-tag', '--with-tag');
    return { resource: rest[0], detail: withTag ? 'and its git tag' : undefined };
  },
  examples: {
    gated: [
      ['gh release delete v2.1.0 --yes --cleanup-tag', 'v2.1.0'],
      ['gh release delete v1.0.0 -R acme/api -y', 'v1.0.0'],
      ['glab release delete v3.0.0 --with-tag', 'v3.0.0'],
    ],
    allowed: ['gh release create v2.2.0 --generate-notes', 'gh release list', 'gh release view v2.1.0'],
  },
});

export const secretDelete = defineRule({
  id: 'packages.secret-delete',
  severity: 'risky',
  summary: 'Deletes a CI secret or variable that workflows may depend on',
  programs: ['gh', 'glab'],
  match(inv) {
    const rest = forgeCommand(inv, 'secret', ['delete', 'remove']) ?? forgeCommand(inv, 'variable', ['delete', 'remove']);
    return rest?.length ? { resource: joinResources(rest) } : null;
  },
  examples: {
    gated: [
      ['gh secret delete NPM_TOKEN', 'NPM_TOKEN'],
      ['gh secret remove AWS_SECRET_ACCESS_KEY --env production -R acme/api', 'AWS_SECRET_ACCESS_KEY'],
      ['glab variable delete DEPLOY_KEY --scope production', 'DEPLOY_KEY'],
    ],
    allowed: ['gh secret list', 'gh secret set NPM_TOKEN < token.txt', 'gh variable get NODE_VERSION'],
  },
});

export const apiDelete = defineRule({
  id: 'packages.api-delete',
  severity: 'destructive',
  summary: 'Sends a DELETE request to the GitHub or GitLab API',
  programs: ['gh', 'glab'],
  match(inv) {
    const a = inv.parsed(FORGE_ARGS);
    const [command, endpoint] = a.positionals;
    if (command !== 'api' || !endpoint || a.value('-X', '--method')?.toUpperCase() !== 'DELETE') return null;
    return { resource: endpoint };
  },
  examples: {
    gated: [
      ['gh api -X DELETE repos/acme/api/git/refs/heads/old-branch', 'repos/acme/api/git/refs/heads/old-branch'],
      ['gh api --method DELETE /repos/acme/api', '/repos/acme/api'],
      ['glab api projects/42/repository/tags/v1.0.0 -X DELETE', 'projects/42/repository/tags/v1.0.0'],
    ],
    allowed: ['gh api repos/acme/api', 'gh api -X POST repos/acme/api/issues -f title=bug', 'gh api --method GET /user'],
  },
});

const CARGO_ARGS: ArgSpec = { values: ['--version', '--vers', '--index', '--registry', '--token', '-Z', '--config', '--color'] };
const GEM_ARGS: ArgSpec = { values: ['-v', '--version', '--platform', '--host', '--otp', '-k', '--key'] };

export const yank = defineRule({
  id: 'packages.yank',
  severity: 'risky',
  summary: 'Yanks a published version so new installs can no longer pick it',
  programs: ['cargo', 'gem'],
  match(inv) {
    if (inv.program === 'cargo') {
      const a = inv.parsed(CARGO_ARGS);
      const [command, crate] = a.positionals;
      // Undone with --undo, so it stays risky.
      if (command !== 'yank' || a.has('--undo', '--help', '-h')) return null;
      const version = a.value('--version', '--vers');
      return { resource: crate && version ? `${crate}@${version}` : (crate ?? version ?? standIn(inv, 'yank')) };
    }
    const a = inv.parsed(GEM_ARGS);
    const [command, gem] = a.positionals;
    if (command !== 'yank' || !gem || a.has('--help', '-h')) return null;
    // RubyGems never lets a yanked version be pushed again.
    const version = a.value('-v', '--version');
    return { resource: version ? `${gem}@${version}` : gem, severity: 'destructive', detail: 'the version number can never be pushed again' };
  },
  examples: {
    gated: [
      ['cargo yank --version 1.0.1 acme-core', 'acme-core@1.0.1'],
      ['cargo yank acme-core@0.9.0', 'acme-core@0.9.0'],
      ['gem yank acme_client -v 2.0.0', 'acme_client@2.0.0'],
    ],
    allowed: ['cargo yank --version 1.0.1 acme-core --undo', 'cargo publish --dry-run', 'gem push acme_client-2.0.1.gem'],
  },
});
