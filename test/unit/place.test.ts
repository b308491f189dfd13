// Resources named by the working folder: read from a real git repository, a worktree and a Terraform data folder,
// and what a person is asked to type through the real gate service.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { nameInPlace } from '../../src/core/place';
import { ask } from '../../src/gate/client';
import { gitBranch, readPlace, repositoryOf, terraformWorkspace } from '../../src/gate/place';
import { GateServer } from '../../src/gate/server';
import { ApprovalRequest, GateService } from '../../src/gate/service';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, stdio: 'pipe' }).toString();

describe('place: what names a held resource in its working folder', () => {
  let dir: string;
  let repo: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-place-'));
    repo = join(dir, 'shop');
    mkdirSync(join(repo, 'infra', '.terraform'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'feature/login');
    writeFileSync(join(repo, 'README'), 'x');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'first');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the branch from a sub-folder, a worktree, and none on a detached HEAD or outside a repository', () => {
    assert.equal(gitBranch(join(repo, 'infra')), 'feature/login');
    git(repo, 'worktree', 'add', '-q', '-b', 'hotfix', join(dir, 'wt'));
    assert.equal(gitBranch(join(dir, 'wt')), 'hotfix');
    git(join(dir, 'wt'), 'checkout', '-q', '--detach');
    assert.equal(gitBranch(join(dir, 'wt')), undefined);
    const outside = mkdtempSync(join(tmpdir(), 'ag-noplace-'));
    try {
      assert.equal(readPlace(outside).gitBranch, undefined);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reads the origin repository (also from a worktree) and the folder\'s package', () => {
    assert.equal(readPlace(repo).gitRepository, undefined);
    git(repo, 'remote', 'add', 'origin', 'git@github.com:acme/shop.git');
    assert.equal(readPlace(join(repo, 'infra')).gitRepository, 'acme/shop');
    assert.equal(readPlace(join(dir, 'wt')).gitRepository, 'acme/shop');
    // A second remote: gh may act on either (it prefers upstream), so no name is offered.
    git(repo, 'remote', 'add', 'upstream', 'git@github.com:bigco/shop.git');
    assert.equal(readPlace(repo).gitRepository, undefined);
    git(repo, 'remote', 'remove', 'upstream');
    for (const [url, want] of [
      ['https://github.com/acme/api', 'acme/api'],
      ['https://gitlab.example.com/group/sub/api.git/', 'sub/api'],
      ['ssh://git@host:2222/acme/api.git', 'acme/api'],
      ['/srv/git/api.git', 'git/api'],
      ['api', undefined],
    ] as const) assert.equal(repositoryOf(url), want, url);
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: '@acme/shop', version: '1.4.0' }));
    assert.equal(readPlace(repo).npmPackage, '@acme/shop@1.4.0');
    writeFileSync(join(repo, 'package.json'), '{ not json');
    assert.equal(readPlace(repo).npmPackage, undefined);
  });

  it('keeps HEAD when a bare push would write another branch: an upstream of another name, a push refspec', () => {
    const other = join(dir, 'other');
    mkdirSync(other);
    git(other, 'init', '-q', '-b', 'scratch');
    git(other, 'remote', 'add', 'origin', 'git@github.com:acme/other.git');
    assert.equal(gitBranch(other), 'scratch');
    git(other, 'config', 'branch.scratch.merge', 'refs/heads/main');
    git(other, 'config', 'branch.scratch.remote', 'origin');
    assert.equal(gitBranch(other), undefined, 'scratch tracks main: a push -f may rewrite main');
    git(other, 'config', 'branch.scratch.merge', 'refs/heads/scratch');
    assert.equal(gitBranch(other), 'scratch');
    git(other, 'config', 'remote.origin.push', 'refs/heads/*:refs/heads/main');
    assert.equal(gitBranch(other), undefined, 'a push refspec sends it elsewhere');
    git(other, 'config', '--unset', 'remote.origin.push');
    git(other, 'config', 'push.default', 'upstream');
    assert.equal(gitBranch(other), undefined);
    const d = nameInPlace(new Engine({ tier: 'production' }).classify('git push -f'), readPlace(other));
    assert.equal(d.resource, 'HEAD');
  });

  it('reads the selected Terraform workspace, also from TF_DATA_DIR; names the folder for default', () => {
    const infra = join(repo, 'infra');
    assert.equal(terraformWorkspace(infra, {}), undefined);
    writeFileSync(join(infra, '.terraform', 'environment'), 'staging');
    assert.deepEqual(readPlace(infra, {}), { folder: 'infra', gitBranch: 'feature/login', gitRepository: 'acme/shop', terraformWorkspace: 'staging' });
    mkdirSync(join(infra, 'tfdata'));
    writeFileSync(join(infra, 'tfdata', 'environment'), 'default\n');
    const d = nameInPlace(new Engine({ tier: 'production' }).classify('terraform destroy -auto-approve'), readPlace(infra, { TF_DATA_DIR: 'tfdata' }));
    assert.equal(d.resource, 'infra');
  });

  it('ignores junk in what it reads: a huge HEAD, a name with spaces or control characters', () => {
    const odd = join(dir, 'odd');
    mkdirSync(join(odd, '.git'), { recursive: true });
    writeFileSync(join(odd, '.git', 'HEAD'), 'ref: refs/heads/' + 'x'.repeat(10_000));
    assert.equal(gitBranch(odd), undefined);
    const d = new Engine({ tier: 'development' }).classify('git push -f');
    assert.equal(nameInPlace(d, { gitBranch: 'a b' }).resource, 'HEAD');
    assert.equal(nameInPlace(d, { gitBranch: 'a\x1b[2Jb' }).resource, 'HEAD');
  });

  it('the gate asks for the branch and the workspace, not "HEAD" or "terraform destroy"; a cd on the line keeps the stand-in', async () => {
    writeFileSync(join(repo, 'infra', '.terraform', 'environment'), 'staging');
    const engine = new Engine({ tier: 'development' });
    const asked: ApprovalRequest[] = [];
    const server = new GateServer(
      new GateService({
        settings: () => ({ engine, tier: 'development', workspace: repo, requireTierPrefix: false }),
        approver: { approve: async (req) => (asked.push(req), { approved: false, how: 'dismissed' }), refused: () => {} },
        record: () => {},
      }),
    );
    const port = await server.listen();
    try {
      const gate = { port, token: server.token };
      await ask(gate, { command: 'git push --force', cwd: repo }, { timeoutMs: 5000 });
      await ask(gate, { command: 'terraform destroy', cwd: join(repo, 'infra') }, { timeoutMs: 5000 });
      await ask(gate, { command: 'cd .. && terraform destroy', cwd: join(repo, 'infra') }, { timeoutMs: 5000 });
      await ask(gate, { command: 'git -C /elsewhere push -f', cwd: repo }, { timeoutMs: 5000 });
      await ask(gate, { command: 'gh repo delete --yes', cwd: repo }, { timeoutMs: 5000 });
      assert.deepEqual(
        asked.map((r) => r.expected),
        ['feature/login', 'staging', 'terraform destroy', 'HEAD', 'acme/shop'],
      );
    } finally {
      server.close();
    }
  });
});
