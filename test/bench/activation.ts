// What loading the extension costs before activate() runs (Node's built-in modules already loaded, as in the host): the shipped (minified) bundle and the development one,
// each required in a fresh Node process with a stand-in `vscode` module, five times, median reported.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const ROOT = join(__dirname, '..', '..', '..');

const LOAD = (bundle: string) => `
const Module = require('node:module');
const load = Module._load;
// esbuild's import wrapper copies the module's own keys onto an object made from its prototype: the prototype is the
// stub too, so \`vscode.EventEmitter\` and the rest still reach it.
const stub = new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? false : stub), apply: () => stub, construct: () => stub, getPrototypeOf: () => stub });
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
// VS Code's extension host has Node's own modules loaded before any extension: so does this measurement.
for (const m of ['fs', 'fs/promises', 'path', 'os', 'crypto', 'net', 'tty', 'util', 'worker_threads', 'readline', 'perf_hooks', 'child_process']) require('node:' + m);
const t0 = process.hrtime.bigint();
const ext = require(${JSON.stringify(bundle)});
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
if (typeof ext.activate !== 'function') throw new Error('no activate()');
console.log(ms.toFixed(1));`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function benchActivation(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ag-bench-activation-'));
  try {
    const rows = ['extension bundle, load before activate()       size          median ms'];
    for (const production of [true, false]) {
      const out = join(dir, production ? 'shipped.js' : 'dev.js');
      await esbuild.build({ entryPoints: [join(ROOT, 'src', 'extension.ts')], bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], minify: production, outfile: out, logLevel: 'error' });
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = spawnSync(process.execPath, ['-e', LOAD(out)], { encoding: 'utf8' });
        if (r.status !== 0) return [`activation bench failed: ${r.stderr}`];
        runs.push(Number(r.stdout.trim()));
      }
      rows.push(`  ${production ? 'shipped (minified, npm run package)' : 'development (npm run build)       '}           ${(statSync(out).size / 1024).toFixed(0).padStart(5)} KB     ${median(runs).toFixed(1)}`);
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
