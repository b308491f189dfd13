// Files emptied or replaced by other programs, git plumbing, containers that mount the host, settings that delete:
// the real engine in a real folder (real tar, zip and git archives and repositories), with the spellings an agent
// would try next and the ordinary commands that must still run.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { archiveMembers, patchLosses } from '../../src/core/overwrites';
import { containerRun } from '../../src/core/parse/containerRun';
import { readPlanMessage, readSavedPlan } from '../../src/core/tfplan';

const prod = new Engine({ tier: 'production' });
const dev = new Engine({ tier: 'development' });

/** A folder with data/sentinel, notes.txt, an empty folder, and archives whose member data/sentinel exists here. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ag-over-'));
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'data', 'sentinel'), 'keep\n');
  writeFileSync(join(dir, 'notes.txt'), 'n\n');
  const src = mkdtempSync(join(tmpdir(), 'ag-over-src-'));
  mkdirSync(join(src, 'data'));
  writeFileSync(join(src, 'data', 'sentinel'), '');
  writeFileSync(join(src, 'fresh.txt'), 'x');
  execFileSync('tar', ['-C', src, '-cf', join(dir, 'evil.tar'), 'data']);
  execFileSync('tar', ['-C', src, '-czf', join(dir, 'evil.tgz'), 'data']);
  execFileSync('tar', ['-C', src, '-cf', join(dir, 'fresh.tar'), 'fresh.txt']);
  execFileSync('zip', ['-qr', join(dir, 'evil.zip'), 'data'], { cwd: src });
  writeFileSync(join(dir, 'p.diff'), '--- data/sentinel\n+++ data/sentinel\n@@ -1 +0,0 @@\n-keep\n');
  writeFileSync(join(dir, 'q.diff'), 'diff --git a/data/sentinel b/data/sentinel\ndeleted file mode 100644\n--- a/data/sentinel\n+++ /dev/null\n@@ -1 +0,0 @@\n-keep\n');
  writeFileSync(join(dir, 'add.diff'), 'diff --git a/data/new b/data/new\nnew file mode 100644\n--- /dev/null\n+++ b/data/new\n@@ -0,0 +1 @@\n+x\n');
  return dir;
}

function held(lines: string[], cwd: string, rule: string, resource?: string): void {
  for (const line of lines) {
    const d = prod.classify(line, 'bash', { cwd });
    assert.equal(d.decision, 'confirm', `${line}: ${JSON.stringify(d.findings.map((f) => f.rule))}`);
    assert.ok(d.rules.includes(rule), `${line}: ${d.rules.join(', ')} (wanted ${rule})`);
    if (resource !== undefined) assert.equal(d.resource, resource, line);
  }
}

function allowed(lines: string[], cwd: string): void {
  for (const line of lines) {
    const d = prod.classify(line, 'bash', { cwd });
    assert.equal(d.decision, 'allow', `${line}: ${JSON.stringify(d.findings.map((f) => [f.rule, f.resource]))}`);
  }
}

describe('output written over files that exist (fs.output-over, fs.extract-over, fs.patch-loss)', () => {
  const cwd = workspace();

  it('holds sort, curl, wget, tee, dd and decoders writing over a file, in every spelling', () => {
    held([
      'sort -o data/sentinel /dev/null', 'sort -mo data/sentinel /dev/null', 'sort --output=data/sentinel /dev/null', 'sort /dev/null -o data/sentinel',
      'curl -so data/sentinel file:///dev/null', 'curl -sSLo data/sentinel https://example.com', 'curl --output data/sentinel https://example.com', 'curl --output=data/sentinel -s https://example.com', 'curl -o ./data/sentinel https://example.com',
      'wget -qO data/sentinel https://example.com', 'wget --output-document=data/sentinel https://example.com',
      'cat /dev/null | tee data/sentinel', 'true | tee data/sentinel', ': | tee -i other.txt data/sentinel', "printf '' | tee data/sentinel", 'tee data/sentinel <<< ""',
      'dd if=notes.txt of=data/sentinel', "base64 -d <<< '' > data/sentinel", 'base64 -d < /dev/null > data/sentinel', "printf '' | base64 -d > data/sentinel", "xxd -r -p <<< '' > data/sentinel",
      'cd data && sort -o sentinel /dev/null',
    ], cwd, 'fs.output-over');
    held(['fallocate -p -o 0 -l 5 data/sentinel', 'fallocate --collapse-range -o 0 -l 4096 data/sentinel', 'fallocate -z -l 5 data/sentinel'], cwd, 'fs.truncate', 'data/sentinel');
  });

  it('allows output written to new files, in place, appended, or to stdout', () => {
    allowed(['sort -o data/new.txt notes.txt', 'sort -o data/sentinel data/sentinel', 'curl -so data/new.bin https://example.com', 'curl -o - https://example.com', 'wget -O - https://example.com', 'npm test | tee -a data/sentinel', 'npm test | tee new.log', "base64 -d <<< 'aGk=' > data/new", 'dd if=notes.txt of=data/sentinel conv=notrunc', 'fallocate -l 1M data/big.img', 'fallocate -d data/sentinel'], cwd);
  });

  it('reads tar (plain and gzip) and zip members, and holds extraction over files that exist', () => {
    assert.deepEqual(archiveMembers(join(cwd, 'evil.tar')), ['data/sentinel']);
    assert.deepEqual(archiveMembers(join(cwd, 'evil.tgz')), ['data/sentinel']);
    assert.deepEqual(archiveMembers(join(cwd, 'evil.zip')), ['data/sentinel']);
    assert.equal(archiveMembers(join(cwd, 'notes.txt')), undefined, 'not an archive');
    held(['tar -xf evil.tar', 'tar xf evil.tar', 'tar -x -f evil.tar', 'tar --extract --file=evil.tar', 'tar -xzf evil.tgz', 'tar xvzf evil.tgz', 'tar -xf evil.tar -C .', 'unzip -o evil.zip', 'tar -x < evil.tar'], cwd, 'fs.extract-over', 'data/sentinel');
    // Members that cannot be read (from a pipe): only a folder with nothing in it is surely not overwritten.
    held(['cat evil.tar | tar -x'], cwd, 'fs.extract-over');
    allowed(['tar -xf evil.tar -C empty', 'tar -xkf evil.tar', 'tar --skip-old-files -xf evil.tar', 'tar -xOf evil.tar', 'tar -tf evil.tar', 'tar -xf fresh.tar', 'unzip evil.zip', 'unzip -o evil.zip -d empty', 'cat evil.tar | tar -x -C empty', 'tar -xf evil.tar -C no-such-folder-yet'], cwd);
    assert.equal(dev.classify('tar -xf evil.tar', 'bash', { cwd }).decision, 'allow', 'risky: allowed in development');
  });

  it('holds a patch that empties or deletes a file, from a file, stdin, a heredoc or reversed', () => {
    assert.deepEqual(patchLosses('--- a\n+++ a\n@@ -1,2 +0,0 @@\n-x\n-y\n', false), [{ path: 'a', how: 'emptied' }]);
    assert.deepEqual(patchLosses('--- /dev/null\n+++ b/a\n@@ -0,0 +1 @@\n+x\n', true), [{ path: 'b/a', how: 'deleted' }]);
    assert.deepEqual(patchLosses('--- a\n+++ a\n@@ -1,2 +1 @@\n-x\n', false), []);
    held(['patch -s -p0 < p.diff', 'patch -p0 -i p.diff', 'patch --input=p.diff', 'patch data/sentinel p.diff', "patch -p0 <<'EOF'\n--- data/sentinel\n+++ data/sentinel\n@@ -1 +0,0 @@\n-keep\nEOF", 'git apply q.diff', 'git apply --index q.diff', 'git apply < q.diff', 'git apply -R add.diff', 'git -C . apply q.diff'], cwd, 'fs.patch-loss');
    allowed(['git apply add.diff', 'git apply --check q.diff', 'git apply --stat q.diff', 'git apply --cached q.diff', 'patch --dry-run -p0 < p.diff', 'patch -p0 -o out.txt < p.diff'], cwd);
  });
});

describe('git commands that drop work or move refs', () => {
  const cwd = workspace();
  it('holds rm -f, worktree remove --force, read-tree -u --reset, submodule deinit -f, branch -f, update-ref, settings that run code', () => {
    held(['git rm -rf data', 'git rm -f -- data/sentinel', 'git -C . rm --force -r data', 'git rm -r data -f'], cwd, 'git.rm-force');
    held(['git worktree remove --force wt', 'git worktree remove -f -f wt', 'git worktree remove wt --force'], cwd, 'git.worktree-remove-force', 'wt');
    held(['git read-tree -u --reset HEAD', 'git read-tree --reset -u HEAD~1'], cwd, 'git.read-tree-reset');
    held(['git submodule deinit -f --all', 'git submodule deinit --force sub', 'git submodule deinit sub -f'], cwd, 'git.submodule-deinit-force');
    held(['git branch -f main HEAD~1', 'git branch --force main v1', 'git branch main HEAD~1 -f', 'git update-ref refs/heads/main HEAD~1', 'git update-ref -m x refs/heads/main abc123'], cwd, 'git.branch-move', 'main');
    held(['git config core.hooksPath hk', 'git config --local core.hookspath hk', 'git config set core.hooksPath hk', 'git -c core.hooksPath=hk commit -m x', "git config alias.x '!sh ./x.sh'", 'git config --global core.sshCommand "sh x.sh"', 'git config diff.bin.textconv ./t.sh'], cwd, 'git.config-runs-code');
    allowed(['git rm -r data', 'git rm --cached -rf data', 'git worktree remove wt', 'git read-tree HEAD', 'git submodule deinit sub', 'git branch -M main', 'git branch feature/x', 'git config alias.co checkout', 'git config --get core.hooksPath', 'git config --unset core.hooksPath', 'git -c user.name=a commit -m x'], cwd);
    assert.equal(dev.classify('git branch -f feature/x HEAD~1', 'bash', { cwd }).decision, 'allow', 'a feature branch moved in development');
  });

  it('holds moving a branch that exists, in the repository and its linked worktrees, and not creating one', () => {
    const repo = mkdtempSync(join(tmpdir(), 'ag-refs-'));
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=a', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q', '-b', 'main', '.');
    git('commit', '-q', '--allow-empty', '-m', 'one');
    git('commit', '-q', '--allow-empty', '-m', 'two');
    git('branch', 'side');
    git('pack-refs', '--all');
    git('branch', 'loose');
    git('worktree', 'add', '-q', 'wt', 'side');
    for (const at of [repo, join(repo, 'wt')]) {
      held(['git branch -f main HEAD~1', 'git branch -f side HEAD~1', 'git branch -f loose HEAD~1', 'git checkout -B main HEAD~1', 'git switch -C side HEAD~1', 'git update-ref refs/heads/main HEAD~1'], at, 'git.branch-move');
      allowed(['git branch -f brand-new HEAD~1', 'git checkout -B brand-new', 'git switch -C brand-new HEAD~1', 'git update-ref refs/heads/brand-new HEAD'], at);
    }
  });
});

describe('containers that mount the host or a volume: the command inside is judged', () => {
  const cwd = workspace();
  it('finds the image and the command past every option spelling', () => {
    assert.deepEqual(containerRun('docker', ['run', '--rm', '-v', '/:/host', 'alpine', 'rm', '-rf', '/host/x']), { image: 4, entrypoint: undefined });
    assert.deepEqual(containerRun('docker', ['run', '-itv', '/:/h', 'alpine', 'sh']), { image: 3, entrypoint: undefined });
    assert.deepEqual(containerRun('podman', ['run', '--entrypoint', 'sh', '--mount=type=bind,src=/,dst=/h', 'alpine', '-c', 'x']), { image: 4, entrypoint: 2 });
    assert.equal(containerRun('docker', ['run', '--rm', 'alpine', 'rm', '-rf', '/x']), null, 'nothing mounted: the container only');
    assert.equal(containerRun('docker', ['ps']), null);
  });

  it('holds destructive commands inside, in every spelling, and allows ordinary runs', () => {
    held([
      'docker run --rm -v /:/host alpine rm -rf /host/srv/data', "docker run --rm -v /:/host alpine sh -c 'rm -rf /host/srv'", 'docker run --rm --volume=/:/host alpine rm -rf /host/srv', 'docker run -v/:/h alpine rm -rf /h/srv',
      'docker container run --rm -v /:/h alpine rm -rf /h/srv', 'docker --context prod run -v /:/h alpine rm -rf /h/x', 'nerdctl run --mount type=bind,source=/,target=/h alpine rm -rf /h/srv', 'docker run -itv /:/h alpine rm -rf /h/srv',
      'sudo docker run -v "$PWD":/w alpine rm -rf /w/data', "docker run --rm --entrypoint sh -v pgdata:/d alpine -c 'rm -rf /d/*'",
    ], cwd, 'fs.recursive-delete');
    held(['docker run -e A=1 -p 80:80 -v /srv:/s --name x alpine find /s -delete'], cwd, 'fs.find-delete', '/s');
    held(['docker run --rm --privileged --pid=host alpine nsenter -t 1 -m -u -i -n rm -rf /srv/data', 'docker run --pid host --privileged debian nsenter --target 1 --mount rm -rf /srv/data'], cwd, 'fs.recursive-delete', '/srv/data');
  });

  it('judges kubectl debug like kubectl exec', () => {
    held(["kubectl debug node/n1 --image=busybox -it -- chroot /host sh -c 'rm -rf /var/lib/kubelet'", 'kubectl debug node/n1 -it --image=busybox -- chroot /host rm -rf /var/lib/etcd'], cwd, 'fs.recursive-delete');
    allowed(['kubectl debug -it pod/api --image=busybox --target=api -- ls /', 'docker run --rm alpine rm -rf /x', 'docker run -v /:/h:ro alpine ls /h', 'docker run --rm -v "$PWD":/src -w /src node:20 node --version'], cwd);
  });
});

describe('settings that delete data or backups; saved plans', () => {
  const cwd = workspace();
  it('holds retention 0, lifecycle expiry, Complete mode, and applying a saved plan in production', () => {
    writeFileSync(join(cwd, 'expire.json'), '{"Rules":[{"Status":"Enabled","Filter":{},"Expiration":{"Days":1}}]}');
    writeFileSync(join(cwd, 'move.json'), '{"Rules":[{"Status":"Enabled","Filter":{},"Transitions":[{"Days":30,"StorageClass":"GLACIER"}]}]}');
    held(['aws rds modify-db-instance --db-instance-identifier prod --backup-retention-period 0', 'aws --region eu-west-1 rds modify-db-cluster --db-cluster-identifier c --backup-retention-period=0', 'aws s3api put-bucket-lifecycle-configuration --bucket b --lifecycle-configuration file://expire.json', 'aws s3api put-bucket-lifecycle-configuration --bucket b --lifecycle-configuration file://missing.json', 'az deployment group create -g prod --mode Complete -f t.json', 'az deployment group create -g prod --mode=complete -f t.json', 'az group deployment create -g prod --mode Complete --template-file t.json'], cwd, 'cloud.deleting-setting');
    allowed(['aws s3api put-bucket-lifecycle-configuration --bucket b --lifecycle-configuration file://move.json', 'aws rds modify-db-instance --db-instance-identifier prod --backup-retention-period 7', 'az deployment group create -g prod -f t.json'], cwd);
    held(['terraform apply p', 'terraform plan -destroy -out p && terraform apply p', 'tofu apply plan.bin', 'terraform apply -input=false p'], cwd, 'iac.apply-saved-plan');
    assert.equal(dev.classify('terraform apply p', 'bash', { cwd }).decision, 'allow', 'risky: allowed in development');
    allowed(['terraform apply', 'terraform plan -out p', 'terraform apply data'], cwd);
  });
});

describe('saved Terraform plans, read offline', () => {
  const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'overwrites');
  it('reads the mode and the destroying changes, and holds a destroy plan even in development', () => {
    assert.deepEqual(readSavedPlan(join(fixtures, 'destroy.tfplan')), { destroyMode: true, destroys: ['aws_db_instance.main', 'aws_s3_bucket.logs'] });
    assert.deepEqual(readSavedPlan(join(fixtures, 'replace.tfplan')), { destroyMode: false, destroys: ['aws_db_instance.main'] });
    assert.deepEqual(readSavedPlan(join(fixtures, 'create.tfplan')), { destroyMode: false, destroys: [] });
    assert.equal(readSavedPlan(join(fixtures, 'license.zip')), undefined, 'a zip with no tfplan');
    assert.equal(readSavedPlan(join(fixtures, 'license.tar')), undefined, 'not a zip');
    assert.throws(() => readPlanMessage(Buffer.from([0x1a, 0x40, 0x01])), /truncated/);
    const cwd = mkdtempSync(join(tmpdir(), 'ag-plan-'));
    const plan = readFileSync(join(fixtures, 'destroy.tfplan'));
    writeFileSync(join(cwd, 'p'), plan);
    writeFileSync(join(cwd, 'cut'), plan.subarray(0, plan.length - 40));
    for (const engine of [prod, dev]) {
      const d = engine.classify('terraform apply p', 'bash', { cwd });
      assert.equal(d.decision, 'confirm', engine === dev ? 'development' : 'production');
      assert.equal(d.severity, 'destructive');
      assert.match(d.findings[0].detail ?? '', /destroy plan: aws_db_instance\.main/);
    }
    // A plan that cannot be read is held where risky commands are (production, staging), not in development.
    assert.equal(prod.classify('terraform apply cut', 'bash', { cwd }).decision, 'confirm');
    assert.equal(dev.classify('terraform apply cut', 'bash', { cwd }).decision, 'allow');
    writeFileSync(join(cwd, 'ok'), readFileSync(join(fixtures, 'create.tfplan')));
    assert.equal(prod.classify('terraform apply ok', 'bash', { cwd }).decision, 'allow', 'a plan that destroys nothing runs');
  });
});

