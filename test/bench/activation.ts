// What loading the extension costs (Node's built-in modules already loaded, as in the host), on the shipped
// (minified) bundles and the development ones, each loaded in a fresh Node process with a stand-in `vscode` module,
// five times, median reported: on a first start (V8 compiles the bundle) and on later starts (src/boot.ts loads it
// with the code cache the first start wrote). The extension comes in two bundles (esbuild.split.mjs): main.js, loaded
// before activate() and all the gate needs, and afterGate.js, loaded once the gate listens.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

const LOAD = (dir: string, cacheDir: string | null) => `
const Module = require('node:module');
const load = Module._load;
// esbuild's import wrapper copies the module's own keys onto an object made from its prototype: the prototype is the
// stub too, so \`vscode.EventEmitter\` and the rest still reach it.
const stub = new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? false : stub), apply: () => stub, construct: () => stub, getPrototypeOf: () => stub });
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
// VS Code's extension host has Node's own modules loaded before any extension: so does this measurement.
for (const m of ['fs', 'fs/promises', 'path', 'os', 'crypto', 'net', 'tty', 'util', 'worker_threads', 'readline', 'perf_hooks', 'child_process', 'vm']) require('node:' + m);
const { loadWithCodeCache } = require(${JSON.stringify(join(ROOT, 'out', 'src', 'gate', 'codeCache.js'))});
// Without a cache folder: a folder that cannot exist, so nothing is read or written.
const cacheDir = ${JSON.stringify(cacheDir ?? '/dev/null/none')};
const t0 = process.hrtime.bigint();
const main = loadWithCodeCache(${JSON.stringify(join(dir, 'main.js'))}, cacheDir);
const t1 = process.hrtime.bigint();
const later = loadWithCodeCache(${JSON.stringify(join(dir, 'afterGate.js'))}, cacheDir, main.exports.sharedModules);
const t2 = process.hrtime.bigint();
if (typeof main.exports.activate !== 'function') throw new Error('no activate()');
if (typeof later.exports.activateAfterGate !== 'function') throw new Error('no activateAfterGate()');
main.save(); later.save();
console.log(JSON.stringify({ main: Number(t1 - t0) / 1e6, later: Number(t2 - t1) / 1e6, cache: [main.cache, later.cache] }));`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchActivation(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ag-bench-activation-'));
  try {
    const rows = ['extension bundles, load (fresh Node, median of 5)             size     first start ms   with code cache ms'];
    const run = (out: string, cacheDir: string | null): { main: number; later: number; cache: string[] } | string => {
      const r = spawnSync(process.execPath, ['-e', LOAD(out, cacheDir)], { encoding: 'utf8' });
      if (r.status !== 0) return `activation bench failed: ${r.stderr}`;
      return JSON.parse(r.stdout);
    };
    for (const production of [true, false]) {
      const out = join(dir, production ? 'shipped' : 'dev');
      const options = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], minify: production, logLevel: 'error' };
      const built = spawnSync(process.execPath, ['-e', `import('./esbuild.split.mjs').then((m) => m.buildExtension(require('esbuild'), ${JSON.stringify(options)}, ${JSON.stringify(out)}))`], { cwd: ROOT, encoding: 'utf8' });
      if (built.status !== 0) return [`activation bench: build failed: ${built.stderr}`];
      const cacheDir = join(dir, `cache-${production}`);
      const cold: { main: number; later: number }[] = [];
      const cached: { main: number; later: number }[] = [];
      // The first start writes the cache (src/boot.ts does the same, after activation); starts alternate with and
      // without it, so both see the same load on the machine.
      const first = run(out, cacheDir);
      if (typeof first === 'string') return [first];
      for (let i = 0; i < 5; i++) {
        const c = run(out, null);
        if (typeof c === 'string') return [c];
        cold.push(c);
        const w = run(out, cacheDir);
        if (typeof w === 'string') return [w];
        if (w.cache.some((x) => x !== 'used')) return [`activation bench: V8 did not use the code cache (${w.cache.join(', ')})`];
        cached.push(w);
      }
      const label = production ? 'shipped (minified, npm run package)' : 'development (npm run build)';
      const size = (f: string) => `${(statSync(join(out, f)).size / 1024).toFixed(0).padStart(5)} KB`;
      const line = (what: string, f: string, k: 'main' | 'later') =>
        `  ${`${label}, ${what}`.padEnd(60)}${size(f)}     ${median(cold.map((x) => x[k])).toFixed(1).padStart(6)}           ${median(cached.map((x) => x[k])).toFixed(1).padStart(6)}`;
      rows.push(line('main.js (before the gate listens)', 'main.js', 'main'));
      rows.push(line('afterGate.js (after)', 'afterGate.js', 'later'));
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
