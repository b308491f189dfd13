// What loading the extension costs before activate() runs (Node's built-in modules already loaded, as in the host): the
// shipped (minified) bundle and the development one, each loaded in a fresh Node process with a stand-in `vscode`
// module, five times, median reported: on a first start (V8 compiles the bundle) and on later starts (src/boot.ts loads
// it with the code cache the first start wrote).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = join(__dirname, '..', '..', '..');

const LOAD = (bundle: string, cacheDir?: string) => `
const Module = require('node:module');
const load = Module._load;
// esbuild's import wrapper copies the module's own keys onto an object made from its prototype: the prototype is the
// stub too, so \`vscode.EventEmitter\` and the rest still reach it.
const stub = new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? false : stub), apply: () => stub, construct: () => stub, getPrototypeOf: () => stub });
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
// VS Code's extension host has Node's own modules loaded before any extension: so does this measurement.
for (const m of ['fs', 'fs/promises', 'path', 'os', 'crypto', 'net', 'tty', 'util', 'worker_threads', 'readline', 'perf_hooks', 'child_process', 'vm']) require('node:' + m);
const cacheDir = ${JSON.stringify(cacheDir ?? null)};
const { loadWithCodeCache } = cacheDir ? require(${JSON.stringify(join(ROOT, 'out', 'src', 'gate', 'codeCache.js'))}) : {};
const t0 = process.hrtime.bigint();
const loaded = cacheDir ? loadWithCodeCache(${JSON.stringify(bundle)}, cacheDir) : { exports: require(${JSON.stringify(bundle)}), cache: 'none' };
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
if (typeof loaded.exports.activate !== 'function') throw new Error('no activate()');
loaded.save?.();
console.log(ms.toFixed(1), loaded.cache);`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchActivation(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ag-bench-activation-'));
  try {
    const rows = ['extension bundle (dist/main.js), load before activate()   size          median ms'];
    const run = (bundle: string, cacheDir?: string): [number, string] | string => {
      const r = spawnSync(process.execPath, ['-e', LOAD(bundle, cacheDir)], { encoding: 'utf8' });
      if (r.status !== 0) return `activation bench failed: ${r.stderr}`;
      const [ms, cache] = r.stdout.trim().split(' ');
      return [Number(ms), cache];
    };
    for (const production of [true, false]) {
      const out = join(dir, production ? 'shipped.js' : 'dev.js');
      await esbuild.build({ entryPoints: [join(ROOT, 'src', 'extension.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], minify: production, outfile: out, logLevel: 'error' });
      const size = `${(statSync(out).size / 1024).toFixed(0).padStart(5)} KB`;
      const label = production ? 'shipped (minified, npm run package)' : 'development (npm run build)       ';
      const cold: number[] = [];
      const cached: number[] = [];
      const cacheDir = join(dir, `cache-${production}`);
      // The first start writes the cache (src/boot.ts does the same, after activation).
      for (let i = 0; i < 6; i++) {
        const r = run(out, i === 0 ? cacheDir : undefined);
        if (typeof r === 'string') return [r];
        if (i > 0) cold.push(r[0]);
      }
      for (let i = 0; i < 5; i++) {
        const r = run(out, cacheDir);
        if (typeof r === 'string') return [r];
        if (r[1] !== 'used') return [`activation bench: V8 did not use the code cache (${r[1]})`];
        cached.push(r[0]);
      }
      rows.push(`  ${label}, first start          ${size}     ${median(cold).toFixed(1)}`);
      rows.push(`  ${label}, with its code cache             ${median(cached).toFixed(1)}`);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
