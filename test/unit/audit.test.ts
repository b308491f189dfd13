import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, linkSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntry, AuditLog, GENESIS } from '../../src/core/audit/log';

export function entry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { time: new Date(1700000000000 + i * 1000).toISOString(), tier: 'production', source: 'terminal', command: `rm -rf data${i}`, rules: ['fs.recursive-delete'], resource: `data${i}`, decision: 'confirm', outcome: 'ran', decidedBy: 'typed', approver: 'ana', why: 'clean up', ...extra };
}

describe('audit log', () => {
  let dir: string;
  let log: AuditLog;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-audit-'));
    log = new AuditLog(join(dir, 'state', 'audit.jsonl'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = () => readFileSync(log.path, 'utf8').split('\n');
  const write = (ls: string[]) => writeFileSync(log.path, ls.join('\n'));

  it('chains each line to the one before and verifies the whole file', async () => {
    const a = await log.append(entry(1));
    const b = await log.append(entry(2));
    assert.equal(a.prev, GENESIS);
    assert.equal(b.prev, a.hash);
    assert.deepEqual(log.verify(), { ok: true, entries: 2 });
    assert.deepEqual(log.tail(1).map((e) => e.resource), ['data2']);
    assert.deepEqual(JSON.parse(readFileSync(log.headPath, 'utf8')), { lines: 2, hash: b.hash, size: statSync(log.path).size });
  });

  it('keeps one chain when writers in this process and a short-lived one (a hook) append at once', async () => {
    const other = new AuditLog(log.path);
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) writes.push((i % 3 ? log : other).append(entry(i)));
    other.appendSync(entry(99));
    await Promise.all(writes);
    assert.deepEqual(log.verify(), { ok: true, entries: 61 });
  });

  it('reports the first line whose content was edited', async () => {
    for (let i = 0; i < 5; i++) await log.append(entry(i));
    const ls = lines();
    ls[2] = ls[2].replace('"decision":"confirm"', '"decision":"allow"');
    write(ls);
    assert.deepEqual(log.verify().broken, { line: 3, why: 'its content was changed after it was written' });
  });

  it('reports a deleted line where the chain breaks', async () => {
    for (let i = 0; i < 5; i++) await log.append(entry(i));
    const ls = lines();
    ls.splice(1, 1);
    write(ls);
    assert.equal(log.verify().broken?.line, 2);
    assert.match(log.verify().broken!.why, /removed/);
  });

  it('reports lines removed from the end, and a tail cut in the middle of a line', async () => {
    for (let i = 0; i < 5; i++) await log.append(entry(i));
    const ls = lines();
    write(ls.slice(0, 3).concat(''));
    const r = log.verify();
    assert.equal(r.ok, false);
    assert.match(r.broken!.why, /ends after 3 entries but 5 were written: the last 2 lines were removed/);
    write(ls);
    truncateSync(log.path, statSync(log.path).size - 40);
    assert.match(log.verify().broken!.why, /ends after 4 entries but 5 were written/);
  });

  it('reports a deleted log file, and a log that starts again from nothing', async () => {
    for (let i = 0; i < 3; i++) await log.append(entry(i));
    unlinkSync(log.path);
    assert.match(log.verify().broken!.why, /the log file was deleted: its head records 3 entries/);
    await log.append(entry(4));
    assert.deepEqual(log.verify().broken, { line: 1, why: 'the log does not start at its first entry (earlier lines were removed)' });
  });

  it('reports a damaged or missing head file', async () => {
    await log.append(entry(1));
    writeFileSync(log.headPath, '{"lines":');
    assert.match(log.verify().broken!.why, /head file .* is damaged/);
    unlinkSync(log.headPath);
    assert.match(log.verify().broken!.why, /head file is missing/);
  });

  it('never reads a torn last line back as valid, and later appends continue the chain past it', async () => {
    const a = await log.append(entry(1));
    appendFileSync(log.path, '{"time":"2024-01-01","tier":"produc');
    assert.deepEqual(log.verify(), { ok: true, entries: 1, tornLines: [2] });
    const b = await log.append(entry(2));
    assert.equal(b.prev, a.hash, 'the torn line is skipped when finding the previous hash');
    assert.equal(b.gap, '{"time":"2024-01-01","tier":"produc'.length + 1, 'the append records the torn bytes it closed off');
    assert.deepEqual(log.verify(), { ok: true, entries: 2, tornLines: [2] });
    assert.equal(log.tail(10).length, 2);
  });

  it('reports a forged half-line inserted between two entries, though a real torn line is accepted', async () => {
    for (let i = 0; i < 4; i++) await log.append(entry(i));
    const ls = lines();
    ls.splice(2, 0, '{"time":"2024-01-01","tier":"produc');
    write(ls);
    assert.deepEqual(log.verify().broken, { line: 3, why: 'not a valid entry (no append recorded unreadable data here)' });
  });

  it('reports a last line made invalid once another entry is appended after it', async () => {
    for (let i = 0; i < 3; i++) await log.append(entry(i));
    const ls = lines();
    ls[2] = ls[2].slice(0, 30) + 'XX' + ls[2].slice(32);
    write(ls);
    await log.append(entry(9));
    const r = log.verify();
    assert.equal(r.ok, false);
    assert.equal(r.broken?.line, 3);
  });

  it('treats a corrupt file as broken, not as a crash, and keeps appending', async () => {
    await log.append(entry(1));
    appendFileSync(log.path, '\u0000\u0001garbage\n');
    await log.append(entry(2));
    await log.append(entry(3));
    const r = log.verify();
    assert.equal(r.ok, true, 'the junk line was closed off and recorded by the next append');
    assert.deepEqual(r.tornLines, [2]);
    // The same junk written after the fact, where no append recorded it, is tampering.
    const ls = lines();
    ls.splice(3, 0, '\u0000garbage');
    write(ls);
    assert.equal(log.verify().broken?.line, 4);
    assert.equal(log.tail(5).length, 3);
  });

  it('adopts the line of a writer that died between its line and its head', async () => {
    await log.append(entry(1));
    const head = readFileSync(log.headPath, 'utf8');
    const b = await log.append(entry(2));
    writeFileSync(log.headPath, head); // as if the writer of entry 2 was killed before it renamed its head into place
    const c = await log.append(entry(3));
    assert.equal(c.prev, b.hash);
    assert.deepEqual(log.verify(), { ok: true, entries: 3 });
  });

  it('writes its head in place, and never through a link planted at the head to overwrite another file', async () => {
    await log.append(entry(1));
    const bashrc = join(dir, 'bashrc');
    for (const plant of [symlinkSync, linkSync]) {
      writeFileSync(bashrc, 'export KEEP=1\n');
      unlinkSync(log.headPath);
      plant(bashrc, log.headPath);
      const written = readFileSync(bashrc, 'utf8');
      const e = await log.append(entry(2));
      assert.equal(readFileSync(bashrc, 'utf8'), written, `${plant.name}: the linked file is unchanged`);
      assert.ok(lstatSync(log.headPath).isFile() && statSync(log.headPath).nlink === 1, `${plant.name}: the head is a file of its own again`);
      assert.equal(JSON.parse(readFileSync(log.headPath, 'utf8')).hash, e.hash);
      rmSync(bashrc);
    }
    // The head keeps one width, so a longer head left by an older version (or anything else) leaves nothing behind.
    const width = statSync(log.headPath).size;
    for (let i = 3; i < 6; i++) await log.append(entry(i));
    assert.equal(statSync(log.headPath).size, width);
    unlinkSync(log.path);
    writeFileSync(log.headPath, JSON.stringify({ lines: 123456789, hash: 'f'.repeat(64), size: 987654321 }) + ' '.repeat(400) + '\n');
    const fresh = new AuditLog(log.path);
    await fresh.append(entry(9));
    assert.equal(statSync(log.headPath).size, width);
    assert.equal(JSON.parse(readFileSync(log.headPath, 'utf8')).lines, 123456790);
  });

  it('verifies clean while another process appends, though the head is rewritten in place under it', async () => {
    await log.append(entry(0));
    const script = `const { AuditLog } = require(${JSON.stringify(require.resolve('../../src/core/audit/log'))});
      const log = new AuditLog(${JSON.stringify(log.path)});
      for (let i = 0; i < 400; i++) log.appendSync({ time: new Date().toISOString(), tier: 'production', source: 'terminal', command: 'ls ' + i, rules: [], decision: 'allow', outcome: 'ran', decidedBy: 'auto' });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'inherit' });
    const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let runs = 0;
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      const r = log.verify();
      assert.equal(r.ok, true, `verify during appends: ${JSON.stringify(r)}`);
      runs++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(await done, 0);
    assert.ok(runs > 5, `verified ${runs} times while the other process appended`);
    assert.deepEqual(log.verify(), { ok: true, entries: 401 });
  });

  it('is created owner-only, outside the workspace, with long fields clipped', async () => {
    const e = await log.append(entry(1, { command: 'x'.repeat(20000) }));
    assert.ok(e.command.length < 9000);
    assert.equal(log.verify().ok, true);
    assert.equal(statSync(log.path).mode & 0o777, 0o600);
    assert.equal(statSync(log.headPath).mode & 0o777, 0o600);
  });
});
