// The audit log under faults: writers killed mid-append, a full disk, a garbage tail, a log over 512 MiB.
// Each prints its figure; none may block the event loop of the process that runs the extension.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AuditLog, AuditWriteError, hashEntry, GENESIS } from '../../src/core/audit/log';
import { Engine } from '../../src/core/classify';
import { GateService } from '../../src/gate/service';
import { snapshotBeforeDelete, SnapshotStore } from '../../src/gate/snapshots';
import { entry } from './audit.test';

const LOG_MODULE = resolve(__dirname, '../../src/core/audit/log.js');

/**
 * Runs fn while measuring this process's event-loop delay; returns its 99th percentile in ms (the single worst
 * sample on a shared 2-core machine measures the OS's scheduling as much as our code) after checking that no delay
 * at all came near a real stall.
 */
async function worstDelay(fn: () => Promise<void>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  try {
    await fn();
  } finally {
    h.disable();
  }
  assert.ok(h.max / 1e6 < 1000, `the event loop stalled for ${(h.max / 1e6).toFixed(0)} ms`);
  return h.percentile(99) / 1e6;
}

describe('audit log under faults', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ag-audit-faults-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('recovers at once from writers killed with SIGKILL in the middle of appending', async () => {
    const path = join(dir, 'audit.jsonl');
    const log = new AuditLog(path, 3000);
    const script = `const { AuditLog } = require(${JSON.stringify(LOG_MODULE)}); const l = new AuditLog(${JSON.stringify(path)});
      process.stdout.write('go\\n'); for (let i = 0; ; i++) l.appendSync({ time: new Date().toISOString(), tier: 'production', source: 'hook:test', command: 'ls ' + i, rules: [], resource: null, decision: 'allow', outcome: 'ran', decidedBy: 'auto' });`;
    const rounds = 40;
    let locksLeft = 0;
    let slowest = 0;
    const delay = await worstDelay(async () => {
      for (let r = 0; r < rounds; r++) {
        const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        await new Promise<void>((ok) => child.stdout.once('data', () => ok()));
        await new Promise((ok) => setTimeout(ok, 5 + Math.random() * 25));
        child.kill('SIGKILL');
        await new Promise((ok) => child.once('exit', ok));
        if (existsSync(`${path}.lock`)) locksLeft++;
        const t0 = performance.now();
        await log.append(entry(r));
        slowest = Math.max(slowest, performance.now() - t0);
      }
    });
    const v = log.verify();
    console.log(`      kill -9 mid-append: ${rounds} writers killed, ${locksLeft} left the lock behind, every one taken over; slowest next append ${slowest.toFixed(1)} ms; event-loop delay p99 ${delay.toFixed(1)} ms; ${v.entries} entries verify ${v.ok ? 'ok' : 'BROKEN'}${v.tornLines ? `, ${v.tornLines.length} torn` : ''}`);
    assert.equal(v.ok, true, JSON.stringify(v.broken));
    // Bounds that catch a blocking wait (a synchronous lock spin lasts the whole lock timeout) without failing on a
    // 2-core machine busy with other work; the measured figures are printed above and in `npm run bench`.
    assert.ok(slowest < 2000, `an append after a killed writer took ${slowest} ms`);
    assert.ok(delay < 250, `event loop blocked for ${delay} ms`);
  });

  it('waits for a live writer with timers, and fails clearly when it never lets go', async () => {
    const path = join(dir, 'audit.jsonl');
    // A live process holds the lock (its pid is alive): never broken in on, whatever its age.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(`${path}.lock`, JSON.stringify({ pid: holder.pid, host: require('node:os').hostname() }));
      const log = new AuditLog(path, 1000);
      let error: unknown;
      const delay = await worstDelay(async () => {
        await log.append(entry(1)).catch((e) => (error = e));
      });
      assert.ok(error instanceof AuditWriteError);
      assert.match((error as Error).message, /locked by another live writer/);
      assert.equal(log.status.ok, false);
      assert.ok(delay < 250, `event loop blocked for ${delay} ms while waiting (the lock timeout is 1000 ms)`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('appends in constant time after a 16 MiB garbage tail', async () => {
    const log = new AuditLog(join(dir, 'audit.jsonl'));
    await log.append(entry(1));
    const fd = openSync(log.path, 'a');
    writeSync(fd, Buffer.alloc(16 * 1024 * 1024, 0x41));
    closeSync(fd);
    const t0 = performance.now();
    await log.append(entry(2));
    const first = performance.now() - t0;
    const t1 = performance.now();
    await log.append(entry(3));
    const second = performance.now() - t1;
    console.log(`      16 MiB garbage tail: next append ${first.toFixed(1)} ms, the one after ${second.toFixed(1)} ms`);
    assert.ok(first < 400 && second < 200, `${first} / ${second} ms`);
    const v = log.verify();
    assert.equal(v.ok, true, 'the tail was recorded as unreadable by the append that closed it off');
    assert.deepEqual(v.tornLines, [2]);
  });

  it('verifies a log over 512 MiB in one streaming pass', async function () {
    const path = join(dir, 'big.jsonl');
    const fd = openSync(path, 'w');
    let prev = GENESIS;
    let n = 0;
    let size = 0;
    const why = 'w'.repeat(8000);
    const batch: string[] = [];
    while (size < 530 * 1024 * 1024) {
      const e = { ...entry(n, { why }), prev: '', hash: '' };
      const { prev: _p, hash: _h, ...body } = e;
      const hash = hashEntry(prev, body);
      const line = JSON.stringify({ ...body, prev, hash }) + '\n';
      batch.push(line);
      size += Buffer.byteLength(line);
      prev = hash;
      n++;
      if (batch.length === 512) writeSync(fd, batch.splice(0).join(''));
    }
    writeSync(fd, batch.join(''));
    closeSync(fd);
    writeFileSync(`${path}.head`, JSON.stringify({ lines: n, hash: prev, size }));
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const v = new AuditLog(path).verify();
    const ms = performance.now() - t0;
    const grew = (process.memoryUsage().rss - rss0) / 1024 / 1024;
    console.log(`      verify: ${(statSync(path).size / 1024 / 1024).toFixed(0)} MiB, ${v.entries} entries in ${(ms / 1000).toFixed(1)} s, memory +${grew.toFixed(0)} MiB`);
    assert.deepEqual(v, { ok: true, entries: n });
    assert.ok(grew < 64, `verify grew memory by ${grew} MiB`);
  });

  describe('on a full disk', function () {
    let mnt: string;
    before(function () {
      if (process.getuid?.() !== 0) {
        console.log('      (skipped: mounting a small tmpfs needs root; CI runs as root)');
        this.skip();
      }
    });
    beforeEach(function () {
      mnt = join(dir, 'small');
      mkdirSync(mnt);
      const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { encoding: 'utf8' });
      if (r.status !== 0) {
        console.log(`      (skipped: cannot mount a tmpfs here: ${r.stderr.trim()})`);
        this.skip();
      }
    });
    afterEach(() => spawnSync('umount', [mnt]));

    /** Fills the file system to its last byte. */
    function fill(): string {
      const filler = join(mnt, 'filler');
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(4096, 0x20);
      try {
        for (;;) writeSync(fd, chunk);
      } catch {
        /* full */
      }
      try {
        for (;;) writeSync(fd, chunk.subarray(0, 1));
      } catch {
        /* full to the last byte */
      }
      closeSync(fd);
      return filler;
    }

    it('never writes part of a line, reports every failed append, and recovers when space returns', async () => {
      const log = new AuditLog(join(mnt, 'state', 'audit.jsonl'));
      for (let i = 0; i < 5; i++) await log.append(entry(i, { why: 'x'.repeat(500 + i * 37) }));
      const filler = fill();
      let failed = 0;
      let wrote = 0;
      for (let i = 0; i < 50; i++) {
        const before = statSync(log.path).size;
        try {
          await log.append(entry(100 + i, { why: 'y'.repeat(300 + i * 11) }));
          wrote++;
        } catch (e) {
          assert.ok(e instanceof AuditWriteError, String(e));
          assert.equal(statSync(log.path).size, before, 'a failed append leaves no bytes behind');
          failed++;
        }
        const v = log.verify();
        assert.equal(v.ok, true, `after append ${i}: ${JSON.stringify(v.broken)}`);
        assert.equal(v.tornLines, undefined, 'no torn line is ever reported as written');
      }
      assert.equal(log.status.ok, false);
      assert.match(log.status.error!, /ENOSPC|no space/i);
      rmSync(filler);
      await log.append(entry(999));
      assert.equal(log.status.ok, true);
      const v = log.verify();
      console.log(`      full disk: ${failed} of 50 appends refused with an error, ${wrote} fitted, 0 partial lines; after freeing space ${v.entries} entries verify ok`);
      assert.ok(failed > 0);
      assert.equal(v.ok, true);
    });

    it('refuses in production what it cannot record, and says so in the approval box', async () => {
      const log = new AuditLog(join(mnt, 'state', 'audit.jsonl'));
      await log.append(entry(0));
      const engine = new Engine({ tier: 'production' });
      const shown: string[] = [];
      const service = new GateService({
        settings: () => ({ engine, tier: 'production', workspace: '/w', requireTierPrefix: false }),
        approver: {
          approve: async (req) => {
            shown.push(req.auditProblem ?? '');
            return { approved: true, by: 'ana' };
          },
          refused: () => {},
        },
        record: (e) => log.append(e),
        auditProblem: () => (log.status.ok ? undefined : log.status.error),
      });
      const filler = fill();
      const ask = (command: string) => service.handle({ kind: 'line', pid: 1, cwd: '/w', command }, () => {}, new AbortController().signal);
      const ls = await ask('ls -la');
      assert.equal(ls.verdict, 'deny');
      assert.match(ls.message, /every decision must be recorded, and the audit log cannot be written/);
      const rm = await ask('rm -rf data');
      assert.match(shown[0], /ENOSPC|no space/i, 'the box said the log is failing before the person typed');
      assert.equal(rm.verdict, 'allow', 'the person approved knowing the log was failing');
      rmSync(filler);
      assert.equal((await ask('ls -la')).verdict, 'allow');
      service.dispose();
    });

    it('shows in the approval box, and tells the shell, what a snapshot on a full disk holds', async () => {
      const ws = join(dir, 'ws');
      mkdirSync(join(ws, 'data'), { recursive: true });
      for (let i = 0; i < 10; i++) writeFileSync(join(ws, 'data', `f${i}.bin`), Buffer.alloc(40 * 1024, i));
      const store = new SnapshotStore(join(mnt, 'snapshots'));
      const shown: string[] = [];
      const engine = new Engine({ tier: 'production' });
      const service = new GateService({
        settings: () => ({ engine, tier: 'production', workspace: ws, requireTierPrefix: false }),
        approver: {
          approve: async (req) => {
            shown.push(req.snapshotNote ?? '');
            return { approved: true, by: 'ana' };
          },
          refused: () => {},
        },
        record: () => {},
        beforeRun: (req) => snapshotBeforeDelete(store, req, { workspace: ws, log: () => {} }),
      });
      // Leave room for about two of the ten 40 KB files.
      const filler = fill();
      const fd = openSync(filler, 'r+');
      require('node:fs').ftruncateSync(fd, Math.max(0, statSync(filler).size - 100 * 1024));
      closeSync(fd);
      const r = await service.handle({ kind: 'line', pid: 1, cwd: ws, command: 'rm -rf data' }, () => {}, new AbortController().signal);
      console.log(`      full disk snapshot: the box said "${shown[0]}"`);
      assert.match(shown[0], /^Snapshot: copied [0-9] of 10 files .*: the disk is full — the rest is not recoverable\.$/);
      assert.equal(r.verdict, 'allow');
      assert.ok(r.message.includes(shown[0]), 'the shell is told too');
      service.dispose();
    });
  });
});
