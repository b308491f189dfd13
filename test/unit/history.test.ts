// The local history on real temp folders: baseline, dedup, deletes and truncation noticed, byte-identical restore
// with modes and times, never overwriting without asking, pruning, a torn log, and the CLI.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main';
import { ask } from '../../src/gate/client';
import { GateServer } from '../../src/gate/server';
import { GateService } from '../../src/gate/service';
import { Engine } from '../../src/core/classify';
import { describeLoss, LossWatch } from '../../src/gate/history/notice';
import { DEFAULT_HISTORY_LIMITS, HistoryRoot } from '../../src/gate/history/store';

const tmp = () => fs.mkdtempSync(join(tmpdir(), 'ag-history-'));

function tree(dir: string): void {
  fs.mkdirSync(join(dir, 'db'), { recursive: true });
  fs.mkdirSync(join(dir, 'node_modules/x'), { recursive: true });
  fs.mkdirSync(join(dir, 'uploads/2026'), { recursive: true });
  fs.writeFileSync(join(dir, '.env'), 'SECRET=1\n');
  fs.writeFileSync(join(dir, 'db/app.sqlite'), Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251)));
  fs.writeFileSync(join(dir, 'db/copy.sqlite'), Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251)));
  fs.writeFileSync(join(dir, 'uploads/2026/a.bin'), Buffer.alloc(3000, 7));
  fs.chmodSync(join(dir, 'uploads/2026/a.bin'), 0o640);
  fs.utimesSync(join(dir, 'uploads/2026/a.bin'), new Date('2020-01-02T03:04:05Z'), new Date('2020-01-02T03:04:05Z'));
  fs.writeFileSync(join(dir, 'node_modules/x/index.js'), 'regenerable');
}

async function capture(folder: string, store: string) {
  const root = new HistoryRoot(store);
  const h = root.folder(folder);
  const r = await h.scan({ sliceMs: 1e9, pauseMs: 0 });
  return { root, h, r };
}

describe('local history', () => {
  it('captures untracked and ignored data, skips regenerable trees, deduplicates, keeps the store owner-only', async () => {
    const dir = tmp();
    const store = join(tmp(), 'store');
    tree(dir);
    const { root, h, r } = await capture(dir, store);
    assert.equal(r.changed, 4);
    assert.deepEqual([...h.current()].map((x) => x.p).sort(), ['.env', 'db/app.sqlite', 'db/copy.sqlite', 'uploads/2026/a.bin']);
    // Two identical files, one object.
    const objects = fs.readdirSync(join(store, 'objects')).flatMap((a) => fs.readdirSync(join(store, 'objects', a)));
    assert.equal(objects.length, 3);
    assert.equal(fs.statSync(store).mode & 0o777, 0o700);
    assert.equal(fs.statSync(join(store, 'objects')).mode & 0o777, 0o700);
    assert.ok(root.status().includes('4 files in 1 folder'), root.status());
    const again = await h.scan({ sliceMs: 1e9, pauseMs: 0 });
    assert.equal(again.changed, 0);
    assert.equal(again.unchanged, 4);
  });

  it('notices a deleted folder and an emptied file from file events, and restores them byte-identical with modes and times', async () => {
    const dir = tmp();
    const { h } = await capture(dir, join(tmp(), 'store')).then(async (x) => (tree(dir), await x.h.scan({ sliceMs: 1e9, pauseMs: 0 }), x));
    const before = fs.readFileSync(join(dir, 'uploads/2026/a.bin'));
    // Deleted by something the gate never saw.
    execFileSync('python3', ['-c', `import shutil; shutil.rmtree(${JSON.stringify(join(dir, 'uploads'))})`]);
    fs.writeFileSync(join(dir, '.env'), '');
    h.markDirty(join(dir, 'uploads'));
    h.markDirty(join(dir, '.env'));
    const r = h.captureDirty();
    assert.deepEqual(r.lost.map((l) => `${l.kind} ${l.rel}`).sort(), ['deleted uploads/2026/a.bin', 'truncated .env']);
    assert.match(describeLoss(r.lost), /— 2 files, 2\.9 KB — deleted or emptied by something that did not ask the gate/);
    // Fast path: nothing changed since.
    assert.equal(h.captureDirty().changed, 0);

    const res = h.restore(r.lost.map((l) => ({ rel: l.rel, version: l.version })));
    assert.deepEqual(res.map((x) => x.outcome).sort(), ['exists', 'restored']);
    const p = join(dir, 'uploads/2026/a.bin');
    assert.deepEqual(fs.readFileSync(p), before);
    assert.equal(fs.statSync(p).mode & 0o777, 0o640);
    assert.equal(fs.statSync(p).mtime.toISOString(), '2020-01-02T03:04:05.000Z');
    // The emptied .env exists: kept until the person says overwrite; then its empty state is in the history too.
    assert.equal(fs.readFileSync(join(dir, '.env'), 'utf8'), '');
    const env = r.lost.find((l) => l.rel === '.env')!;
    assert.equal(h.restore([{ rel: '.env', version: env.version }], { overwrite: true })[0].outcome, 'restored');
    assert.equal(fs.readFileSync(join(dir, '.env'), 'utf8'), 'SECRET=1\n');
    assert.ok(h.versions('.env').some((v) => v.s === 0), 'the overwritten content was captured first');
  });

  it('notices deletions made while nobody watched at the next scan, and lists them', async () => {
    const dir = tmp();
    tree(dir);
    const store = join(tmp(), 'store');
    await capture(dir, store);
    fs.rmSync(join(dir, 'db'), { recursive: true });
    const { h, r } = await capture(dir, store);
    assert.deepEqual(r.lost.map((l) => l.rel).sort(), ['db/app.sqlite', 'db/copy.sqlite']);
    assert.deepEqual(h.deleted({ under: 'db' }).map((l) => l.rel).sort(), ['db/app.sqlite', 'db/copy.sqlite']);
  });

  it('a torn last log line (killed mid-append) loses only that line', async () => {
    const dir = tmp();
    tree(dir);
    const store = join(tmp(), 'store');
    const { h } = await capture(dir, store);
    fs.appendFileSync(join(h.dir, 'log.jsonl'), '{"t":1,"p":"half');
    const again = await capture(dir, store);
    assert.equal([...again.h.current()].length, 4);
    assert.equal(again.r.changed, 0);
  });

  it('a damaged stored copy is refused, not restored', async () => {
    const dir = tmp();
    tree(dir);
    const store = join(tmp(), 'store');
    const { root, h } = await capture(dir, store);
    const v = h.latest('.env')!;
    fs.writeFileSync(root.objectPath(v.h!), require('node:zlib').brotliCompressSync(Buffer.from('FORGED')));
    fs.rmSync(join(dir, '.env'));
    assert.equal(h.restore([{ rel: '.env', version: v }])[0].outcome, 'failed');
    assert.ok(!fs.existsSync(join(dir, '.env')));
  });

  it('prunes old superseded versions and keeps every present file current version under a small cap', async () => {
    const dir = tmp();
    const store = join(tmp(), 'store');
    let now = Date.now() - 30 * 86_400_000;
    const root = new HistoryRoot(store, () => ({ ...DEFAULT_HISTORY_LIMITS, keepDays: 7, maxStoreBytes: 1 }), () => now);
    const h = root.folder(dir);
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(join(dir, 'f.txt'), `version ${i} ${'x'.repeat(100 * i)}`);
      fs.utimesSync(join(dir, 'f.txt'), new Date(now), new Date(now + i * 1000));
      h.markDirty(join(dir, 'f.txt'));
      h.captureDirty();
      now += 86_400_000;
    }
    now = Date.now();
    assert.equal(h.versions('f.txt').length, 5);
    const r = root.prune();
    assert.ok(r.records >= 4 && r.objects >= 4, JSON.stringify(r));
    assert.equal(h.versions('f.txt').length, 1);
    assert.match(root.readObject(h.latest('f.txt')!.h!).toString(), /^version 4/);
  });

  it('a decision that names the deleted path explains it; python, a renamed rm or a script do not', () => {
    const engine = new Engine({ tier: 'development' });
    const w = new LossWatch();
    const loss = '/w/app/db/app.sqlite';
    for (const cmd of ['python3 tools/cleanup.py', 'cp /bin/rm ./del && ./del -rf db', 'bash ./cleanup.sh', 'ls db']) {
      w.decision(engine.classify(cmd), '/w/app');
      assert.equal(w.explains(loss), false, cmd);
    }
    w.decision(engine.classify('rm -rf db'), '/w/app');
    assert.equal(w.explains(loss), true);
    const w2 = new LossWatch();
    w2.decision(engine.classify('rm -rf ./db/*'), '/w/app');
    assert.equal(w2.explains(loss), true, 'a glob under the folder');
    assert.equal(w2.explains('/w/app/other/x'), false);
    const w3 = new LossWatch();
    w3.edit(['/w/app/db']);
    assert.equal(w3.explains(loss), true);
    let t = 0;
    const w4 = new LossWatch(() => t);
    w4.decision(engine.classify('rm -rf db'), '/w/app');
    t = 60_000;
    assert.equal(w4.explains(loss), false, 'an old decision explains nothing');
  });

  it('the gate captures pending changes before any allowed command runs, and a failing capture never blocks one', async () => {
    const dir = tmp();
    const root = new HistoryRoot(join(tmp(), 'store'));
    const h = root.folder(dir);
    await h.scan({ sliceMs: 1e9, pauseMs: 0 });
    const seen: string[] = [];
    let fail = false;
    const server = new GateServer(
      new GateService({
        settings: () => ({ engine: new Engine({ tier: 'development' }), tier: 'development', workspace: dir, requireTierPrefix: false }),
        approver: { approve: async () => ({ approved: false, how: 'dismissed' }), refused: () => {} },
        record: () => {},
        beforeCommand: (req) => {
          if (fail) throw new Error('disk full');
          seen.push(req.decision.command);
          h.captureDirty();
        },
      }),
    );
    const port = await server.listen();
    try {
      fs.writeFileSync(join(dir, 'a.txt'), 'pending');
      h.markDirty(join(dir, 'a.txt'));
      assert.equal((await ask({ port, token: server.token }, { command: 'ls', cwd: dir }, { timeoutMs: 2000 })).verdict, 'allow');
      assert.deepEqual(seen, ['ls']);
      assert.equal(h.latest('a.txt')?.s, 7, 'captured before ls was let through');
      fail = true;
      assert.equal((await ask({ port, token: server.token }, { command: 'git status', cwd: dir }, { timeoutMs: 2000 })).verdict, 'allow');
    } finally {
      server.close();
    }
  });

  it('agent-guard history capture/list/show/restore from a shell', async () => {
    const dir = tmp();
    tree(dir);
    const prev = process.env.AGENT_GUARD_HISTORY_DIR;
    process.env.AGENT_GUARD_HISTORY_DIR = join(tmp(), 'store');
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await main(['history', ...argv], { stdin: Readable.from([]), stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
      return { code, out, err };
    };
    try {
      assert.equal((await run('capture', dir)).code, 0);
      const original = fs.readFileSync(join(dir, 'db/app.sqlite'));
      fs.rmSync(join(dir, 'db'), { recursive: true });
      assert.equal((await run('capture', dir)).code, 0);
      const list = await run('list', '--deleted', dir);
      assert.match(list.out, /deleted .*db\/app\.sqlite/);
      assert.match((await run('show', join(dir, 'db/app.sqlite'))).out, /deleted\n.*5000/);
      const r = await run('restore', join(dir, 'db'));
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(fs.readFileSync(join(dir, 'db/app.sqlite')), original);
      fs.writeFileSync(join(dir, 'db/app.sqlite'), 'newer');
      const kept = await run('restore', join(dir, 'db/app.sqlite'), '--at', new Date(Date.now() - 60_000).toISOString());
      assert.notEqual(kept.code, 0);
      const r2 = await run('restore', join(dir, 'db/app.sqlite'));
      assert.equal(r2.code, 3, 'newer content is kept without --overwrite');
      assert.equal(fs.readFileSync(join(dir, 'db/app.sqlite'), 'utf8'), 'newer');
      assert.equal((await run('restore', join(dir, 'db/app.sqlite'), '--overwrite')).code, 0);
      assert.deepEqual(fs.readFileSync(join(dir, 'db/app.sqlite')), original);
      assert.equal((await run('bogus')).code, 64);
    } finally {
      if (prev === undefined) delete process.env.AGENT_GUARD_HISTORY_DIR;
      else process.env.AGENT_GUARD_HISTORY_DIR = prev;
    }
  });
});
