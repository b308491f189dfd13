// The extension's two bundles (esbuild.split.mjs), as `node esbuild.mjs` writes them: dist/main.js holds what the gate
// needs to listen and answer and nothing of what comes after it; dist/afterGate.js takes the modules both need from
// dist/main.js (one copy of each) and loads beside it.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');

/** Loads both bundles in a fresh Node with a stand-in `vscode`, as src/boot.ts does; reports what it saw. */
function loadBoth(): { activate: string; activateAfterGate: string; shared: string[]; asked: string[] } {
  const loader = join(ROOT, 'out', 'src', 'gate', 'codeCache.js');
  const script = `
const Module = require('node:module');
const load = Module._load;
const stub = new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? false : stub), apply: () => stub, construct: () => stub, getPrototypeOf: () => stub });
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const { loadWithCodeCache } = require(${JSON.stringify(loader)});
const main = loadWithCodeCache(${JSON.stringify(join(DIST, 'main.js'))}, '/dev/null/none');
const asked = [];
const shared = new Proxy(main.exports.sharedModules ?? {}, { get: (t, k) => (asked.push(k), t[k]) });
const later = loadWithCodeCache(${JSON.stringify(join(DIST, 'afterGate.js'))}, '/dev/null/none', shared);
console.log(JSON.stringify({ activate: typeof main.exports.activate, activateAfterGate: typeof later.exports.activateAfterGate, shared: Object.keys(main.exports.sharedModules ?? {}), asked }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('extension bundles', () => {
  it('dist/afterGate.js loads beside dist/main.js, taking every module both need from it', () => {
    const seen = loadBoth();
    assert.equal(seen.activate, 'function');
    assert.equal(seen.activateAfterGate, 'function');
    const named = [...readFileSync(join(DIST, 'afterGate.js'), 'utf8').matchAll(/"agent-guard-main:([^"]+)"/g)].map((m) => m[1]);
    assert.ok(named.includes('src/core/classify.ts') && named.includes('src/core/paths.ts'), `the engine and the paths come from dist/main.js: ${named.join(', ')}`);
    assert.deepEqual([...new Set(seen.asked)].sort(), [...new Set(named)].sort(), 'each one asked for at load');
    for (const n of named) assert.ok(seen.shared.includes(n), `dist/main.js exports ${n}`);
  });

  it('dist/main.js holds none of what comes after the gate, and dist/afterGate.js no second engine', () => {
    const main = readFileSync(join(DIST, 'main.js'), 'utf8');
    const later = readFileSync(join(DIST, 'afterGate.js'), 'utf8');
    // The development build names each module it holds in a `// path` line.
    const modules = (text: string) => [...text.matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]);
    const first = modules(main);
    assert.ok(first.includes('src/core/classify.ts') && first.includes('src/gate/server.ts') && first.includes('src/vscode/terminals.ts'), 'the engine, the server and the terminals are in dist/main.js');
    const after = ['src/vscode/history.ts', 'src/vscode/snapshots.ts', 'src/vscode/statusBar.ts', 'src/vscode/commands.ts', 'src/vscode/agents.ts', 'src/vscode/credentials/index.ts', 'src/vscode/context/index.ts', 'src/core/context/tokenizer.ts', 'src/gate/snapshots.ts', 'src/gate/history/store.ts', 'src/core/credentials/scan.ts'];
    assert.deepEqual(first.filter((m) => after.includes(m) || m.includes('@secretlint')), []);
    const second = modules(later);
    for (const m of after) assert.ok(second.includes(m), `${m} is in dist/afterGate.js`);
    assert.deepEqual(second.filter((m) => first.includes(m) && m.startsWith('src/')), [], 'no project module in both');
  });
});
