// The local history: baseline of a generated 50,000-file workspace (CPU, store size vs files' size), one changed
// file, the pre-command capture when nothing changed, idle cost; and the compression choice (gzip vs brotli vs git).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { Engine } from '../../src/core/classify';
import { LossWatch } from '../../src/gate/history/notice';
import { HistoryRoot } from '../../src/gate/history/store';

const WORDS = 'const let function return import export from if else for while async await string number value result error path file data user config test describe it assert'.split(' ');

function generate(dir: string, files: number): number {
  let seed = 0x9e3779b9;
  // xorshift32: every file different (a multiply in floating point would cycle and make copies).
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  let total = 0;
  const perDir = 100;
  for (let d = 0; d < files / perDir; d++) {
    const sub = join(dir, `pkg${d % 20}`, `mod${d}`);
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < perDir; f++) {
      const n = 20 + Math.floor(rnd() * 400);
      let text = '';
      for (let i = 0; i < n; i++) text += WORDS[Math.floor(rnd() * WORDS.length)] + (i % 12 === 11 ? '\n' : ' ');
      // Some files are copies (vendored or generated twice): dedup's share.
      if (f % 10 === 0) text = `// shared header\n${WORDS.join(' ')}\n`;
      writeFileSync(join(sub, `f${f}.ts`), text);
      total += Buffer.byteLength(text);
    }
  }
  mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'x', 'index.js'), 'excluded');
  return total;
}

function du(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? du(p) : statSync(p).size;
  }
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (cells: (string | number)[]) => cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 14)).join('');

export async function benchHistory(files = 50_000): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), 'ag-bench-history-'));
  try {
    const folder = join(work, 'ws');
    const total = generate(folder, files);
    const root = new HistoryRoot(join(work, 'store'));
    const h = root.folder(folder);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await h.scan({ sliceMs: 1e9, pauseMs: 0 });
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const stored = du(join(work, 'store'));
    const lines = [
      row(['local history', 'value', '', '', '']),
      row([`  baseline of ${files} files (${(total / 1024 / 1024).toFixed(1)} MB)`, `${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU s`, `${wall.toFixed(1)} s wall`, `${r.changed} captured`]),
      row(['  store size / files size', `${(stored / 1024 / 1024).toFixed(1)} MB`, `${((100 * stored) / total).toFixed(0)} %`, '(dedup + brotli, log incl.)']),
    ];
    // One changed file.
    const one: number[] = [];
    const target = join(folder, 'pkg3', 'mod3', 'f7.ts');
    for (let i = 0; i < 30; i++) {
      writeFileSync(target, `changed ${i} ${'x'.repeat(2000)}`);
      const s = performance.now();
      h.markDirty(target);
      h.captureDirty();
      one.push(performance.now() - s);
    }
    lines.push(row(['  one changed file: capture', `${median(one).toFixed(2)} ms`, `max ${Math.max(...one).toFixed(2)}`, '(target ≤ 20 ms)']));
    // Before a command when nothing changed: what the gate adds (the decision's paths noted + the dirty check).
    const engine = new Engine({ tier: 'development' });
    const d = engine.classify('npm test');
    const watch = new LossWatch();
    const fast: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = performance.now();
      watch.decision(d, folder);
      h.captureDirty();
      fast.push(performance.now() - s);
    }
    lines.push(row(['  pre-command capture, nothing changed', `${(median(fast) * 1000).toFixed(1)} µs`, `max ${(Math.max(...fast) * 1000).toFixed(0)} µs`, '(target ≤ 2 ms)']));
    // Idle: the store holds no timer or watcher of its own (VS Code's watcher runs in its own process).
    await new Promise((res) => setTimeout(res, 1000)); // let the baseline's garbage be collected first
    const idle0 = process.cpuUsage();
    await new Promise((res) => setTimeout(res, 2000));
    const idle = process.cpuUsage(idle0);
    lines.push(row(['  idle, 2 s with the folder open', `${((idle.user + idle.system) / 1000).toFixed(1)} CPU ms`, '', '']));
    lines.push(...compressionChoice(folder));
    return lines;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The measurement behind the store's format: 2,000 of the files through gzip, brotli and git's object store. */
function compressionChoice(folder: string): string[] {
  const paths: string[] = [];
  for (let d = 0; d < 20 && paths.length < 2000; d++) for (let f = 0; f < 100; f++) paths.push(join(folder, `pkg${d % 20}`, `mod${d}`, `f${f}.ts`));
  const bufs = paths.map((p) => readFileSync(p));
  const raw = bufs.reduce((n, b) => n + b.length, 0);
  const time = (fn: (b: Buffer) => Buffer) => {
    const s = performance.now();
    let n = 0;
    for (const b of bufs) n += fn(b).length;
    return [performance.now() - s, n];
  };
  const [gz, gzn] = time((b) => gzipSync(b, { level: 6 }));
  const [br, brn] = time((b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }));
  const [hs] = time((b) => createHash('sha256').update(b).digest());
  const lines = [row([`  format: ${paths.length} files, ${(raw / 1024).toFixed(0)} KB`, 'ms', 'stored', '']), row(['    sha256 + gzip -6', (gz + hs).toFixed(0), `${((100 * gzn) / raw).toFixed(0)} %`, ''])];
  lines.push(row(['    sha256 + brotli q5 (chosen)', (br + hs).toFixed(0), `${((100 * brn) / raw).toFixed(0)} %`, '']));
  const gitDir = mkdtempSync(join(tmpdir(), 'ag-bench-git-'));
  try {
    if (spawnSync('git', ['init', '-q', '--bare', gitDir]).status === 0) {
      const s = performance.now();
      const r = spawnSync('git', ['--git-dir', gitDir, 'hash-object', '-w', '--stdin-paths'], { input: paths.join('\n') + '\n' });
      const ms = performance.now() - s;
      const one = performance.now();
      spawnSync('git', ['--git-dir', gitDir, 'hash-object', '-w', paths[0]]);
      const written = String(r.stdout).trim().split('\n').length;
      lines.push(row(['    git hash-object -w (separate git dir)', ms.toFixed(0), `${((100 * du(join(gitDir, 'objects'))) / raw).toFixed(0)} %`, r.status === 0 ? `${(performance.now() - one).toFixed(1)} ms/spawn, ${written} objects` : 'failed']));
    }
  } finally {
    rmSync(gitDir, { recursive: true, force: true });
  }
  return lines;
}
