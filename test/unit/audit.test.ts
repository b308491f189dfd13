import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditEntry, AuditLog, GENESIS } from '../../src/core/audit/log';

function entry(i: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { time: new Date(1700000000000 + i * 1000).toISOString(), tier: 'production', source: 'terminal', command: `rm -rf data${i}`, rules: ['fs.recursive-delete'], resource: `data${i}`, decision: 'confirm', outcome: 'ran', decidedBy: 'typed', approver: 'ana', why: 'clean up', ...extra };
}

describe('audit log', () => {
  let dir: string;
  let log: AuditLog;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-audit-'));
    log = new AuditLog(join(dir, 'state', 'audit.jsonl'));
  });

  it('chains each line to the one before and verifies the whole file', () => {
    const a = log.append(entry(1));
    const b = log.append(entry(2));
    assert.equal(a.prev, GENESIS);
    assert.equal(b.prev, a.hash);
    assert.deepEqual(log.verify(), { ok: true, entries: 2 });
    assert.deepEqual(log.tail(1).map((e) => e.resource), ['data2']);
  });

  it('keeps one chain when two writers (two windows, a hook) append to the same file in turns', () => {
    const other = new AuditLog(log.path);
    for (let i = 0; i < 6; i++) (i % 3 ? log : other).append(entry(i));
    assert.deepEqual(log.verify(), { ok: true, entries: 6 });
  });

  it('reports the first line whose content was edited', () => {
    for (let i = 0; i < 5; i++) log.append(entry(i));
    const lines = readFileSync(log.path, 'utf8').split('\n');
    lines[2] = lines[2].replace('"decision":"confirm"', '"decision":"allow"');
    writeFileSync(log.path, lines.join('\n'));
    const r = log.verify();
    assert.equal(r.ok, false);
    assert.deepEqual(r.broken, { line: 3, why: 'its content was changed after it was written' });
  });

  it('reports a deleted line where the chain breaks', () => {
    for (let i = 0; i < 5; i++) log.append(entry(i));
    const lines = readFileSync(log.path, 'utf8').split('\n');
    lines.splice(1, 1);
    writeFileSync(log.path, lines.join('\n'));
    assert.equal(log.verify().broken?.line, 2);
    assert.match(log.verify().broken!.why, /removed/);
  });

  it('never reads a torn last line back as valid, and later appends continue the chain past it', () => {
    const a = log.append(entry(1));
    appendFileSync(log.path, '{"time":"2024-01-01","tier":"produc');
    assert.deepEqual(log.verify(), { ok: true, entries: 1, tornLines: [2] });
    const b = log.append(entry(2));
    assert.equal(b.prev, a.hash, 'the torn line is skipped when finding the previous hash');
    assert.deepEqual(log.verify(), { ok: true, entries: 2, tornLines: [2] });
    assert.equal(log.tail(10).length, 2);
  });

  it('treats a corrupt file as broken, not as a crash, and keeps appending', () => {
    log.append(entry(1));
    appendFileSync(log.path, '\u0000\u0001garbage\n');
    log.append(entry(2));
    log.append(entry(3));
    const r = log.verify();
    assert.equal(r.ok, false);
    assert.equal(r.broken?.line, 2);
    assert.equal(log.tail(5).length, 3);
  });

  it('is created owner-only, outside the workspace, with long fields clipped', () => {
    const e = log.append(entry(1, { command: 'x'.repeat(20000) }));
    assert.ok(e.command.length < 9000);
    assert.equal(log.verify().ok, true);
    const { statSync } = require('node:fs') as typeof import('node:fs');
    assert.equal(statSync(log.path).mode & 0o777, 0o600);
  });
});
