// V8's code cache for the bundles (src/gate/codeCache.ts): the extension's and the CLI's entries load through it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWithCodeCache, SHARED_PREFIX } from '../../src/gate/codeCache';
import { nodeTooOld } from '../../src/cli/nodeVersion';

const ROOT = join(__dirname, '..', '..', '..');

/** Loads the bundle in a fresh Node process (V8 keeps compiled scripts in memory, which would hide the cache). */
function loadInChild(bundle: string, cacheDir: string): { cache: string; sum: number } {
  const loader = join(ROOT, 'out', 'src', 'gate', 'codeCache.js');
  const script = `const l = require(${JSON.stringify(loader)}).loadWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}); l.save(); console.log(JSON.stringify({ cache: l.cache, sum: l.exports.add(2, 3) }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('code cache', () => {
  let dir: string;
  let bundle: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-code-cache-'));
    bundle = join(dir, 'bundle.js');
    // A module as esbuild writes one: exports, a builtin required, __dirname used.
    writeFileSync(bundle, `const { join } = require('node:path');\nexports.where = () => join(__dirname, 'x');\nexports.add = (a, b) => a + b;\nmodule.exports.self = module.id === ${JSON.stringify(bundle)};\n`);
  });

  it('loads the module as require would, writes the cache, and uses it the next time', () => {
    const cacheDir = join(dir, 'cache');
    const first = loadWithCodeCache<{ where(): string; add(a: number, b: number): number; self: boolean }>(bundle, cacheDir);
    assert.equal(first.cache, 'none');
    assert.equal(first.exports.add(2, 3), 5);
    assert.equal(first.exports.where(), join(dir, 'x'));
    assert.equal(first.exports.self, true);
    first.save();
    assert.equal(readdirSync(cacheDir).length, 1);
    assert.deepEqual(loadInChild(bundle, cacheDir), { cache: 'used', sum: 5 });
  });

  it('a cache that is garbage is rejected by V8 and the module still loads', () => {
    const cacheDir = join(dir, 'cache');
    assert.equal(loadInChild(bundle, cacheDir).cache, 'none');
    const [file] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, file), Buffer.alloc(4096, 7));
    assert.deepEqual(loadInChild(bundle, cacheDir), { cache: 'rejected', sum: 5 });
  });

  it('gives a bundle the modules it takes from the bundle loaded before it, and fails loudly on one it lacks', () => {
    const later = join(dir, 'later.js');
    writeFileSync(later, `const paths = require('${SHARED_PREFIX}src/core/paths.ts');\nexports.same = paths;\nexports.path = require('node:path').sep;\n`);
    const paths = { stateDir: () => '/x' };
    const loaded = loadWithCodeCache<{ same: unknown; path: string }>(later, join(dir, 'cache'), { 'src/core/paths.ts': paths });
    assert.equal(loaded.exports.same, paths, 'the very module object, not a copy');
    assert.equal(loaded.exports.path, '/', 'other modules still come from Node');
    assert.throws(() => loadWithCodeCache(later, join(dir, 'cache'), { 'src/core/other.ts': {} }), /later\.js needs src\/core\/paths\.ts from the bundle loaded before it/);
    assert.throws(() => loadWithCodeCache(later, join(dir, 'cache')), /needs src\/core\/paths\.ts/);
  });

  it('a changed bundle never meets the old cache', () => {
    const cacheDir = join(dir, 'cache');
    assert.equal(loadInChild(bundle, cacheDir).cache, 'none');
    writeFileSync(bundle, `exports.add = (a, b) => a - b; // another build, another size\n`);
    assert.deepEqual(loadInChild(bundle, cacheDir), { cache: 'none', sum: -1 });
  });

  it('a folder it cannot write only means compiling again', function () {
    if (process.getuid?.() === 0) {
      // root writes anywhere: a file where the folder should be stands in for a folder it cannot create.
      writeFileSync(join(dir, 'blocked'), 'not a folder');
    } else {
      mkdirSync(join(dir, 'blocked'));
      chmodSync(join(dir, 'blocked'), 0o500);
    }
    const cacheDir = join(dir, 'blocked', 'cache');
    assert.deepEqual(loadInChild(bundle, cacheDir), { cache: 'none', sum: 5 });
    assert.equal(existsSync(cacheDir), false);
  });

  it('the CLI entry writes its cache in the state folder on its first run and works the same on the next', () => {
    const state = join(dir, 'state');
    const env = { ...process.env, AGENT_GUARD_STATE_DIR: state };
    const cli = join(ROOT, 'dist', 'cli.js');
    const run = () => spawnSync(process.execPath, [cli, 'check', '--env', 'production', '--', 'rm', '-rf', 'data'], { env, encoding: 'utf8' });
    const first = run();
    assert.equal(readdirSync(join(state, 'code-cache')).filter((f) => f.startsWith('cli-main.js-')).length, 1, first.stderr);
    const second = run();
    assert.equal(second.status, first.status);
    assert.equal(second.stdout, first.stdout);
    assert.match(second.stdout, /fs\.recursive-delete/);
  });
});

describe('the CLI refuses a Node.js it was not built for', () => {
  it('names the version needed and the one found', () => {
    assert.match(nodeTooOld('18.20.4', '/usr/bin/node') ?? '', /needs Node\.js 20\.19 or newer; this is v18\.20\.4 \(\/usr\/bin\/node\)/);
    assert.match(nodeTooOld('20.18.1') ?? '', /needs Node\.js 20\.19/);
    assert.equal(nodeTooOld('20.19.0'), null);
    assert.equal(nodeTooOld('24.21.0'), null);
  });
});
