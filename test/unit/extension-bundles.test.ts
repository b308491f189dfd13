// The extension's bundles (esbuild.split.mjs), as `node esbuild.mjs` writes them: dist/main.js holds what the gate
// needs to listen and nothing of what comes after it; dist/engine.js holds the engine, which the gate loads once it
// listens; dist/afterGate.js takes the modules it shares with them from them (one copy of each) and loads beside them;
// dist/late.js holds the readers most lines never need (src/core/late.ts), which load with the first line that does.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { shippedInstallOptions } from '../../src/gate/install';

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
  it('dist/afterGate.js loads beside dist/main.js and dist/engine.js, taking every module it shares with them from them', () => {
    const seen = loadBoth();
    assert.equal(seen.activate, 'function');
    assert.equal(seen.activateAfterGate, 'function');
    const namedIn = (file: string, bundle: string) => [...readFileSync(join(DIST, file), 'utf8').matchAll(new RegExp(`"agent-guard-${bundle}:([^"]+)"`, 'g'))].map((m) => m[1]);
    const fromEngine = namedIn('afterGate.js', 'engine');
    assert.ok(fromEngine.includes('src/core/classify.ts'), `the engine comes from dist/engine.js: ${fromEngine.join(', ')}`);
    assert.ok(namedIn('afterGate.js', 'main').includes('src/core/paths.ts'), 'the paths come from dist/main.js');
    // dist/engine.js, loaded with dist/afterGate.js, takes what it shares with dist/main.js from it too.
    const named = [...namedIn('afterGate.js', 'main'), ...namedIn('engine.js', 'main')];
    assert.deepEqual([...new Set(seen.asked)].sort(), [...new Set(named)].sort(), 'each one asked for at load');
    for (const n of named) assert.ok(seen.shared.includes(n), `dist/main.js exports ${n}`);
  });

  it('dist/main.js holds none of what comes after the gate, the engine included, and dist/afterGate.js no second engine', () => {
    const main = readFileSync(join(DIST, 'main.js'), 'utf8');
    const later = readFileSync(join(DIST, 'afterGate.js'), 'utf8');
    // The development build names each module it holds in a `// path` line.
    const modules = (text: string) => [...new Set([...text.matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]))];
    const first = modules(main);
    assert.ok(first.includes('src/gate/server.ts') && first.includes('src/vscode/terminals.ts'), 'the server and the terminals are in dist/main.js');
    const engine = modules(readFileSync(join(DIST, 'engine.js'), 'utf8'));
    const rules = engine.filter((m) => m.startsWith('src/core/rules/') || m.startsWith('src/core/parse/'));
    assert.ok(engine.includes('src/core/classify.ts') && rules.length > 20, `the engine, its rules and its parsers are in dist/engine.js: ${engine.join(', ')}`);
    assert.deepEqual(first.filter((m) => m === 'src/core/classify.ts' || m.startsWith('src/core/rules/') || m.startsWith('src/core/parse/shell')), [], 'none of the engine in dist/main.js');
    assert.deepEqual(engine.filter((m) => first.includes(m) && m.startsWith('src/')), [], 'no project module in dist/main.js and dist/engine.js');
    const after = ['src/vscode/history.ts', 'src/vscode/snapshots.ts', 'src/vscode/statusBar.ts', 'src/vscode/commands.ts', 'src/vscode/agents.ts', 'src/vscode/credentials/index.ts', 'src/vscode/context/index.ts', 'src/core/context/tokenizer.ts', 'src/gate/snapshots.ts', 'src/gate/history/store.ts', 'src/core/credentials/scan.ts'];
    assert.deepEqual(first.filter((m) => after.includes(m) || m.includes('@secretlint')), []);
    const second = modules(later);
    for (const m of after) assert.ok(second.includes(m), `${m} is in dist/afterGate.js`);
    assert.deepEqual(second.filter((m) => (first.includes(m) || engine.includes(m)) && m.startsWith('src/')), [], 'no project module in two of them');
  });

  /**
   * Loads dist/main.js and dist/engine.js from `dist` in a fresh Node, as src/boot.ts and the gate do, and judges `lines` in production with the
   * bundled engine; reports each decision and whether dist/late.js had been read before and after each line.
   */
  function judgeBundled(dist: string, lines: string[], rules?: Record<string, string[]>): { command: string; decision: string; rules: string[]; reason: string; lateRead: boolean }[] {
    const loader = join(ROOT, 'out', 'src', 'gate', 'codeCache.js');
    const script = `
const fs = require('node:fs');
const Module = require('node:module');
const load = Module._load;
const stub = new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? false : stub), apply: () => stub, construct: () => stub, getPrototypeOf: () => stub });
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
let lateRead = false;
const read = fs.readFileSync;
fs.readFileSync = function (file, ...rest) { if (String(file).endsWith('late.js')) lateRead = true; return read.call(this, file, ...rest); };
const { loadWithCodeCache } = require(${JSON.stringify(loader)});
const main = loadWithCodeCache(${JSON.stringify(join(dist, 'main.js'))}, '/dev/null/none');
// As the gate loads it once it listens (src/vscode/terminals.ts): dist/engine.js, taking the shared modules from dist/main.js.
const { Engine } = loadWithCodeCache(${JSON.stringify(join(dist, 'engine.js'))}, '/dev/null/none', main.exports.sharedModules).exports.engineModules['src/core/classify.ts'];
const engine = new Engine({ tier: 'production', rules: ${JSON.stringify(rules ?? {})} });
const out = [];
for (const command of ${JSON.stringify(lines)}) {
  const d = engine.classify(command);
  out.push({ command, decision: d.decision, rules: d.rules, reason: d.reason, lateRead });
}
console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  }

  it('dist/main.js and dist/engine.js leave the late readers to dist/late.js, which loads with the first line that needs one and judges it as the engine does', () => {
    const main = readFileSync(join(DIST, 'main.js'), 'utf8') + readFileSync(join(DIST, 'engine.js'), 'utf8');
    const late = readFileSync(join(DIST, 'late.js'), 'utf8');
    const modules = (text: string) => [...text.matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1]);
    const readers = ['src/core/parse/cmdlets.ts', 'src/core/parse/powershell.ts', 'src/core/parse/cmd.ts', 'src/core/parse/code.ts', 'src/core/sql/statements.ts', 'src/core/http/graphql.ts', 'src/core/globs.ts', 'node_modules/minimatch/dist/esm/index.js'];
    assert.deepEqual(modules(main).filter((m) => readers.includes(m)), [], 'none of them in dist/main.js or dist/engine.js');
    for (const m of readers) assert.ok(modules(late).includes(m), `${m} is in dist/late.js`);
    assert.deepEqual(modules(late).filter((m) => modules(main).includes(m) && m.startsWith('src/')), [], 'no project module in both');
    const asked = [...new Set([...main.matchAll(/"agent-guard-late:([^"]+)"/g)].map((m) => m[1]))];
    assert.ok(asked.length >= 6, `dist/main.js and dist/engine.js ask for the late modules by name: ${asked.join(', ')}`);

    const lines = [
      'git status',
      'pwsh -c "Remove-Item -Recurse data"',
      'cmd /c "rd /s /q data"',
      `python3 -c "import shutil; shutil.rmtree('data')"`,
      'psql -c "DROP TABLE users"',
      `curl -X POST https://backboard.railway.app/graphql/v2 -d '{"query":"mutation { volumeDelete(volumeId: \\"v1\\") }"}'`,
      'pwsh -c "Get-ChildItem"',
    ];
    const seen = judgeBundled(DIST, lines);
    // The same decisions as the engine the unit tests load from the sources, where each module is its own file.
    const engine = new Engine({ tier: 'production' });
    assert.deepEqual(
      seen.map((d) => [d.command, d.decision, d.rules]),
      lines.map((c) => {
        const d = engine.classify(c);
        return [c, d.decision, d.rules];
      }),
    );
    assert.deepEqual(seen.map((d) => d.decision === 'allow'), [true, false, false, false, false, false, true], 'the deletes are held');
    assert.deepEqual(seen.map((d) => d.lateRead), [false, true, true, true, true, true, true], 'dist/late.js is read with the first line that needs it, not before');
    // A person's own rules compile their globs with minimatch, from dist/late.js.
    const ruled = judgeBundled(DIST, ['git push --force origin main', 'git status'], { deny: ['git push*'] });
    assert.deepEqual(ruled.map((d) => d.decision), ['deny', 'allow']);
  });

  it('without dist/late.js, a line that needs it is held in production and says why, and the rest are judged as before', () => {
    const dist = mkdtempSync(join(tmpdir(), 'ag-no-late-'));
    try {
      cpSync(DIST, dist, { recursive: true });
      rmSync(join(dist, 'late.js'));
      const seen = judgeBundled(dist, ['git status', 'rm -rf data', 'pwsh -c "Get-ChildItem"', `python3 -c "print(1)"`]);
      assert.deepEqual(seen.map((d) => d.decision), ['allow', 'confirm', 'confirm', 'confirm']);
      assert.equal(seen[1].rules[0], 'fs.recursive-delete');
      for (const d of seen.slice(2)) assert.match(d.reason, /late\.js, which could not be loaded/);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('dist/programs.json lists every program the rules name, and installing the shell gate with it loads no rule', () => {
    const install = join(ROOT, 'out', 'src', 'gate', 'install.js');
    const scripts = join(DIST, 'shell');
    const root = mkdtempSync(join(tmpdir(), 'ag-programs-'));
    // Two fresh Nodes install the gate as the extension does: with the build's list, and with the rules themselves.
    const installIn = (dir: string, shipped: boolean) => {
      const script = `
const { installShellGate, shippedInstallOptions } = require(${JSON.stringify(install)});
const options = ${shipped} ? shippedInstallOptions(${JSON.stringify(DIST)}) : {};
const gate = installShellGate(${JSON.stringify(dir)}, ${JSON.stringify(scripts)}, 'normal', { programs: options.programs });
const rulesLoaded = Object.keys(require.cache).filter((f) => /[\\/]core[\\/](rules|classify)/.test(f));
console.log(JSON.stringify({ problem: options.programsProblem, programs: gate.programs, rulesLoaded }));`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const seen = JSON.parse(r.stdout) as { problem?: string; programs: string[]; rulesLoaded: string[] };
      const prefilter = readFileSync(join(dir, 'prefilter'), 'utf8').split('\n').slice(1);
      return { ...seen, shims: readdirSync(join(dir, 'bin')).sort(), prefilter };
    };
    try {
      const fromBuild = installIn(join(root, 'built'), true);
      const fromRules = installIn(join(root, 'rules'), false);
      assert.equal(fromBuild.problem, undefined);
      assert.deepEqual(fromBuild.rulesLoaded, [], 'no rule module was loaded to install');
      assert.ok(fromRules.rulesLoaded.length > 0, 'without the list, the rules are loaded');
      assert.deepEqual(fromBuild.programs, fromRules.programs, 'the build found the programs the rules name now');
      assert.deepEqual(fromBuild.shims, fromRules.shims);
      assert.ok(fromBuild.shims.includes('rm') && fromBuild.shims.includes('terraform') && fromBuild.shims.length > 100, fromBuild.shims.join(' '));
      assert.deepEqual(fromBuild.prefilter, fromRules.prefilter, 'the shells ask about the same words');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a missing or broken dist/programs.json says why, and is not used', () => {
    const dist = mkdtempSync(join(tmpdir(), 'ag-programs-dist-'));
    try {
      const missing = shippedInstallOptions(dist);
      assert.equal(missing.programs, undefined);
      assert.match(missing.programsProblem ?? '', /programs\.json could not be read/);
      for (const text of ['', '{"rm": true}', '[]', '["rm", 3]', '["rm", ""]', '\u0000\u0001']) {
        writeFileSync(join(dist, 'programs.json'), text);
        const broken = shippedInstallOptions(dist);
        assert.equal(broken.programs, undefined, text);
        assert.match(broken.programsProblem ?? '', /programs\.json (could not be read|does not hold a list of program names)/, text);
      }
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
