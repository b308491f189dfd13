// Writing a file whole through a rename (src/core/replaceFile.ts), as the hooks' settings, the hook launcher, the
// audit log's head, the tier floors, the history's objects and log, restored files and the code cache are written:
// nothing planted beside the file is written through, the mode is the one asked for, and nothing is left behind.
import * as assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replaceFile, unguessableBeside } from '../../src/core/replaceFile';

describe('replacing a file whole', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'ag-replace-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('never writes through a link planted at the temporary names an older writer used (`<file>.<pid>.tmp` and the like)', () => {
    const file = join(root, 'settings.json');
    writeFileSync(file, '{"hooks":1}\n');
    const theirs = join(root, 'theirs.txt');
    writeFileSync(theirs, 'theirs\n');
    for (const name of [`${file}.${process.pid}.tmp`, `${file}.agent-guard-${process.pid}.tmp`, `${file}.agent-guard.${process.pid}.tmp`, `${file}.agent-guard-restore.${process.pid}`]) symlinkSync(theirs, name);
    replaceFile(file, '{"hooks":2}\n', 0o600);
    assert.equal(readFileSync(theirs, 'utf8'), 'theirs\n');
    assert.equal(readFileSync(file, 'utf8'), '{"hooks":2}\n');
    assert.ok(lstatSync(file).isFile() && !lstatSync(file).isSymbolicLink());
  });

  it('names its temporary file so that no other process can guess it, and creates it exclusively', () => {
    const names = new Set(Array.from({ length: 50 }, () => unguessableBeside('/x/f')));
    assert.equal(names.size, 50);
    for (const n of names) assert.match(n, /^\/x\/f\.\d+\.[0-9a-f]{12}\.tmp$/);
  });

  it('gives the mode asked for whatever the umask, keeps an mtime asked for, and replaces a link at the name with a file', () => {
    const old = process.umask(0o077);
    try {
      const file = join(root, 'launcher');
      replaceFile(file, '#!/bin/sh\n', 0o755);
      assert.equal(statSync(file).mode & 0o777, 0o755);
      const restored = join(root, 'restored.txt');
      symlinkSync(join(root, 'elsewhere'), restored);
      replaceFile(restored, Buffer.from('old version\n'), 0o644, { mtime: new Date(1_700_000_000_000) });
      assert.ok(!lstatSync(restored).isSymbolicLink());
      assert.equal(statSync(restored).mtimeMs, 1_700_000_000_000);
      assert.equal(readdirSync(root).includes('elsewhere'), false, 'nothing written where the link pointed');
    } finally {
      process.umask(old);
    }
  });

  it('fails on a folder under the name, leaving no temporary file, unless told to replace anything', () => {
    const file = join(root, 'head');
    mkdirSync(join(file, 'inside'), { recursive: true });
    assert.throws(() => replaceFile(file, 'x', 0o600));
    assert.deepEqual(readdirSync(root), ['head']);
    replaceFile(file, 'x', 0o600, { anything: true });
    assert.equal(readFileSync(file, 'utf8'), 'x');
    assert.deepEqual(readdirSync(root), ['head']);
  });
});
