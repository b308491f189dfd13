// Snapshots on real temp folders: copy a tree, delete it, put it back byte for byte; limits; which paths a command deletes.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { planSnapshot, SnapshotStore } from '../../src/gate/snapshots';

const engine = new Engine({ tier: 'production' });
const isRoot = process.getuid?.() === 0;
const hasGit = (() => {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface Seen {
  kind: 'file' | 'dir' | 'symlink';
  mode: number;
  hash?: string;
  target?: string;
}

/** Every entry under root: kind, permission bits, content hash or link target. */
function fingerprint(root: string): Map<string, Seen> {
  const out = new Map<string, Seen>();
  const visit = (p: string, rel: string) => {
    const st = fs.lstatSync(p);
    const mode = st.mode & 0o7777;
    if (st.isSymbolicLink()) out.set(rel, { kind: 'symlink', mode: 0, target: fs.readlinkSync(p) });
    else if (st.isDirectory()) {
      out.set(rel, { kind: 'dir', mode });
      for (const n of fs.readdirSync(p)) visit(join(p, n), rel ? `${rel}/${n}` : n);
    } else out.set(rel, { kind: 'file', mode, hash: createHash('sha256').update(fs.readFileSync(p)).digest('hex') });
  };
  visit(root, '');
  return out;
}

describe('snapshots', () => {
  let tmp: string;
  let ws: string;
  let outside: string;
  let store: SnapshotStore;

  beforeEach(() => {
    tmp = fs.mkdtempSync(join(tmpdir(), 'ag-snap-'));
    ws = join(tmp, 'ws');
    outside = join(tmp, 'outside');
    fs.mkdirSync(ws);
    fs.mkdirSync(outside);
    fs.writeFileSync(join(outside, 'secret.txt'), 'outside the tree');
    store = new SnapshotStore(join(tmp, 'store', 'snapshots'), { limits: { maxFileBytes: 4096 } });
  });
  afterEach(() => {
    // Restore write permission so the cleanup can descend everywhere.
    for (const p of [join(ws, 'data', 'locked')]) if (fs.existsSync(p)) fs.chmodSync(p, 0o700);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function makeTree(): string {
    const data = join(ws, 'data');
    fs.mkdirSync(join(data, 'a', 'b', 'c'), { recursive: true });
    fs.writeFileSync(join(data, 'top.txt'), 'top\n');
    fs.writeFileSync(join(data, 'a', 'b', 'c', 'deep.bin'), Buffer.from([0, 1, 2, 255, 254, 10, 13]));
    fs.writeFileSync(join(data, 'a', 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
    fs.writeFileSync(join(data, 'a', 'private.key'), 'k', { mode: 0o600 });
    fs.writeFileSync(join(data, 'résumé 日本語 ✓.txt'), 'unicode name\n');
    fs.writeFileSync(join(data, 'big.dat'), Buffer.alloc(10_000, 7));
    fs.mkdirSync(join(data, 'empty'));
    fs.mkdirSync(join(data, 'locked'), { mode: 0o700 });
    fs.writeFileSync(join(data, 'locked', 'inside.txt'), 'x');
    fs.chmodSync(join(data, 'locked'), 0o555);
    fs.symlinkSync(join(outside, 'secret.txt'), join(data, 'link-out'));
    fs.symlinkSync(outside, join(data, 'link-dir'));
    fs.symlinkSync('top.txt', join(data, 'link-rel'));
    return data;
  }

  it('snapshots a tree, and restores it byte for byte with modes, links and empty folders after it is deleted', async () => {
    const data = makeTree();
    const before = fingerprint(data);
    const r = await store.snapshot(['data'], { cwd: ws, source: 'terminal', command: 'rm -rf data', workspace: ws });
    assert.ok(r.id);
    assert.deepEqual(r.skipped.map((s) => [s.path, /larger than/.test(s.reason)]), [[join(data, 'big.dat'), true]]);
    assert.equal(r.files, 9); // 6 files + 3 links; big.dat skipped
    // Layout mirrors the workspace; links were stored as links, never followed.
    const files = join(store.dir, r.id, 'files', 'workspace', 'data');
    assert.ok(fs.lstatSync(join(files, 'link-dir')).isSymbolicLink());
    assert.ok(fs.statSync(join(files, 'empty')).isDirectory());
    const manifest = store.manifest(r.id);
    assert.equal(manifest.command, 'rm -rf data');
    assert.equal(manifest.workspace, ws);
    assert.ok(manifest.entries.every((e) => e.path.startsWith(data)));
    assert.ok(!manifest.entries.some((e) => e.path.startsWith(outside)));
    assert.equal(manifest.entries.find((e) => e.path.endsWith('run.sh'))!.mode, 0o755);

    fs.chmodSync(join(data, 'locked'), 0o700);
    fs.rmSync(data, { recursive: true });
    const res = await store.restore(r.id, { overwrite: false });
    assert.equal(res.failed, 0, JSON.stringify(res.results.filter((x) => x.outcome === 'failed')));
    const after = fingerprint(data);
    before.delete('big.dat');
    assert.deepEqual([...after.entries()].sort(), [...before.entries()].sort());
    assert.equal(fs.readFileSync(join(outside, 'secret.txt'), 'utf8'), 'outside the tree');
  });

  it('refuses to overwrite an existing file unless asked, reports per file, and leaves identical ones alone', async () => {
    const data = makeTree();
    const r = await store.snapshot([data], { cwd: ws, source: 'workspace-edit', workspace: ws });
    fs.writeFileSync(join(data, 'top.txt'), 'changed by the agent');
    fs.rmSync(join(data, 'a'), { recursive: true });

    assert.deepEqual(await store.existing(r.id!), [join(data, 'top.txt')]);
    const first = await store.restore(r.id!, { overwrite: false });
    const byPath = new Map(first.results.map((x) => [x.path, x.outcome]));
    assert.equal(byPath.get(join(data, 'top.txt')), 'exists');
    assert.equal(byPath.get(join(data, 'a', 'run.sh')), 'restored');
    assert.equal(byPath.get(join(data, 'link-out')), 'identical');
    assert.equal(first.kept, 1);
    assert.equal(fs.readFileSync(join(data, 'top.txt'), 'utf8'), 'changed by the agent');
    assert.equal(fs.statSync(join(data, 'a', 'run.sh')).mode & 0o777, 0o755);

    const second = await store.restore(r.id!, { overwrite: true });
    assert.equal(second.overwritten, 1);
    assert.equal(fs.readFileSync(join(data, 'top.txt'), 'utf8'), 'top\n');
    assert.deepEqual(await store.existing(r.id!), []);
  });

  it('restores only the chosen paths, with the folders above them', async () => {
    const data = makeTree();
    const r = await store.snapshot([data], { cwd: ws, source: 'terminal' });
    fs.chmodSync(join(data, 'locked'), 0o700);
    fs.rmSync(data, { recursive: true });
    const res = await store.restore(r.id!, { overwrite: false, only: [join(data, 'a', 'b')] });
    assert.equal(res.failed, 0);
    assert.ok(fs.existsSync(join(data, 'a', 'b', 'c', 'deep.bin')));
    assert.ok(!fs.existsSync(join(data, 'top.txt')));
    assert.ok(!fs.existsSync(join(data, 'a', 'run.sh')));
  });

  it('stores paths outside the workspace as an absolute-path mirror', async () => {
    const r = await store.snapshot([join(outside, 'secret.txt')], { cwd: ws, source: 'terminal', workspace: ws });
    const mirrored = join(store.dir, r.id!, 'files', 'absolute', outside, 'secret.txt');
    assert.equal(fs.readFileSync(mirrored, 'utf8'), 'outside the tree');
  });

  it('records missing and unreadable paths instead of throwing', async function () {
    fs.writeFileSync(join(ws, 'ok.txt'), 'ok');
    fs.writeFileSync(join(ws, 'unreadable.txt'), 'no', { mode: 0o000 });
    const r = await store.snapshot(['missing.txt', 'ok.txt', 'unreadable.txt'], { cwd: ws, source: 'terminal' });
    assert.equal(r.files, isRoot ? 2 : 1);
    assert.deepEqual(r.skipped[0], { path: join(ws, 'missing.txt'), reason: 'does not exist' });
    if (!isRoot) assert.match(r.skipped[1].reason, /not readable/);
    const none = await store.snapshot(['nope'], { cwd: ws, source: 'terminal' });
    assert.equal(none.id, null);
    assert.equal(store.list().length, 1);
  });

  it('stops at the per-snapshot size and file-count limits and says so', async () => {
    for (let i = 0; i < 10; i++) fs.writeFileSync(join(ws, `f${i}.txt`), Buffer.alloc(1000, i));
    const bySize = new SnapshotStore(store.dir, { limits: { maxSnapshotBytes: 3500 } });
    const a = await bySize.snapshot(['.'], { cwd: ws, source: 'terminal' });
    assert.equal(a.files, 3);
    assert.equal(a.skippedCount, 7);
    assert.match(a.skipped[0].reason, /maxSnapshotSizeMB/);
    const byCount = new SnapshotStore(store.dir, { limits: { maxFiles: 5 } });
    const b = await byCount.snapshot(['.'], { cwd: ws, source: 'terminal' });
    assert.equal(b.files + b.folders, 5);
    assert.ok(b.truncated);
    assert.match(b.skipped[0].reason, /more than 5 files/);
  });

  it('prunes the oldest snapshots to keep the store under its size, and by age', async () => {
    let now = Date.parse('2025-01-01T00:00:00Z');
    const s = new SnapshotStore(store.dir, { limits: { maxStoreBytes: 2500 }, now: () => new Date(now) });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      fs.writeFileSync(join(ws, `f${i}`), Buffer.alloc(1000, i));
      now += 86_400_000;
      const r = await s.snapshot([`f${i}`], { cwd: ws, source: 'terminal' });
      ids.push(r.id!);
      if (i >= 2) assert.deepEqual(r.pruned, [ids[i - 2]]);
    }
    assert.deepEqual(s.list().map((x) => x.id), [ids[3], ids[2]]);
    now += 1.5 * 86_400_000;
    assert.deepEqual(await s.pruneOlderThan(2), [ids[2]]);
    assert.deepEqual(s.list().map((x) => x.id), [ids[3]]);
    assert.ok(!fs.existsSync(join(s.dir, ids[2])));
  });

  it('lists snapshots newest first, with what a person needs to pick one', async () => {
    fs.writeFileSync(join(ws, 'a'), 'a');
    const one = await store.snapshot(['a'], { cwd: ws, source: 'terminal', command: 'rm a' });
    const two = await store.snapshot(['a'], { cwd: ws, source: 'workspace-edit' });
    const list = store.list();
    assert.deepEqual(list.map((x) => x.id).sort(), [one.id, two.id].sort());
    assert.ok(list[0].time >= list[1].time);
    const first = list.find((x) => x.id === one.id)!;
    assert.equal(first.command, 'rm a');
    assert.equal(first.files, 1);
    assert.equal(first.source, 'terminal');
    assert.equal((fs.statSync(store.dir).mode & 0o777).toString(8), '700');
  });

  describe('pathsToSnapshot', () => {
    const plan = (command: string, cwd: string) => planSnapshot({ decision: engine.classify(command), cwd }, { home: '/home/someone' });

    it('resolves the deleted paths against cwd', () => {
      assert.deepEqual(plan('rm -rf data logs', ws).paths, [join(ws, 'data'), join(ws, 'logs')]);
      assert.deepEqual(plan('rm -rf "my data" x', ws).paths, [join(ws, 'my data'), join(ws, 'x')]);
      assert.deepEqual(plan('rm -rf /srv/app/uploads ../other', ws).paths, ['/srv/app/uploads', join(tmp, 'other')]);
      assert.deepEqual(plan('truncate -s 0 db/orders.db', ws).paths, [join(ws, 'db/orders.db')]);
      assert.deepEqual(plan('shred -u secrets.json', ws).paths, [join(ws, 'secrets.json')]);
      assert.deepEqual(plan('mv data.db /dev/null', ws).paths, [join(ws, 'data.db')]);
      assert.deepEqual(plan('find . -name "*.log" -delete', ws).paths, [ws]);
      assert.deepEqual(plan('bash -c "rm -rf migrations"', ws).paths, [join(ws, 'migrations')]);
      assert.deepEqual(plan('rm -rf ~/notes', ws).paths, ['/home/someone/notes']);
      assert.deepEqual(plan('rm -rf data data/sub', ws).paths, [join(ws, 'data')]);
      assert.deepEqual(plan('ls -la', ws).paths, []);
    });

    it('skips dynamic, remote, device, stand-in and too-large paths, and says why', () => {
      const p = plan('rm -rf $DIR host:path /dev/sda data', ws);
      assert.deepEqual(p.paths, [join(ws, 'data')]);
      assert.deepEqual(p.skipped.map((s) => s.path), ['$DIR', 'host:path', '/dev/sda']);
      assert.deepEqual(plan('shred /dev/sda', ws).paths, []);
      assert.deepEqual(plan('rm -rf "$(pwd)/x" ${HOME}/y', ws).paths, []);
      assert.deepEqual(plan('xargs rm < list.txt', ws).paths, []);
      assert.deepEqual(plan('rm -rf {}', ws).paths, []);
      assert.deepEqual(plan('mv -t /dev/null', ws).paths, []);
      assert.deepEqual(plan('rm -rf /', ws).paths, []);
      assert.deepEqual(plan('rm -rf ~', ws).paths, []);
      assert.deepEqual(plan('rm -rf node_modules data', ws).paths, [join(ws, 'data')]);
      assert.deepEqual(plan('rm -rf src/{a,b}', ws).paths, []);
    });

    it('expands a simple trailing * like the shell, and skips other patterns', () => {
      fs.mkdirSync(join(ws, 'logs'));
      for (const n of ['a.log', 'b.log', 'c.txt', '.hidden.log']) fs.writeFileSync(join(ws, 'logs', n), n);
      assert.deepEqual(plan('rm -rf logs/*', ws).paths, ['a.log', 'b.log', 'c.txt'].map((n) => join(ws, 'logs', n)));
      assert.deepEqual(plan('rm logs/*.log', ws).paths, ['a.log', 'b.log'].map((n) => join(ws, 'logs', n)));
      assert.deepEqual(plan('rm -rf */*.log', ws).paths, []);
      assert.deepEqual(plan('rm logs/?.log', ws).paths, []);
    });

    it('follows a symlink written with a trailing slash to what rm -rf deletes', () => {
      fs.symlinkSync(outside, join(ws, 'shortcut'));
      assert.deepEqual(plan('rm -rf shortcut/', ws).paths, [fs.realpathSync(outside)]);
      assert.deepEqual(plan('rm -rf shortcut', ws).paths, [join(ws, 'shortcut')]);
    });

    it('never snapshots the snapshot store itself', () => {
      assert.deepEqual(store.pathsToSnapshot({ decision: engine.classify(`rm -rf ${store.dir}/x data`), cwd: ws }), [join(ws, 'data')]);
    });

    (hasGit ? it : it.skip)('asks git which untracked files git clean removes', () => {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: ws, stdio: 'ignore' });
      git('init', '-q');
      fs.writeFileSync(join(ws, '.gitignore'), 'ignored.txt\nnode_modules/\n');
      fs.writeFileSync(join(ws, 'tracked.txt'), 't');
      git('add', '.');
      git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-qm', 'init');
      fs.writeFileSync(join(ws, 'new.txt'), 'n');
      fs.writeFileSync(join(ws, 'ignored.txt'), 'i');
      fs.mkdirSync(join(ws, 'scratch'));
      fs.writeFileSync(join(ws, 'scratch', 'x'), 'x');
      fs.mkdirSync(join(ws, 'node_modules'));
      fs.writeFileSync(join(ws, 'node_modules', 'y'), 'y');
      assert.deepEqual(plan('git clean -f', ws).paths, [join(ws, 'new.txt')]);
      assert.deepEqual(plan('git clean -fd', ws).paths.sort(), [join(ws, 'new.txt'), join(ws, 'scratch')]);
      assert.deepEqual(plan('git clean -fdx', ws).paths.sort(), [join(ws, 'ignored.txt'), join(ws, 'new.txt'), join(ws, 'scratch')]);
      assert.deepEqual(plan('git clean -fd -- scratch', ws).paths, [join(ws, 'scratch')]);
      assert.deepEqual(plan(`git -C ${ws} clean -f`, tmp).paths, [join(ws, 'new.txt')]);
      // Without git's answer: the named paths, or the folder it runs in.
      assert.deepEqual(planSnapshot({ decision: engine.classify('git clean -fd -- scratch'), cwd: ws }, { git: false }).paths, [join(ws, 'scratch')]);
      assert.deepEqual(planSnapshot({ decision: engine.classify('git clean -fd'), cwd: ws }, { git: false }).paths, [ws]);
    });
  });
});
