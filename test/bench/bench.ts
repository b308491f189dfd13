// npm run bench: how fast the engine answers, in process and through the CLI, and what the terminal gate adds to a
// command, and how long the context meter and the credential scan take, and activation to a working gate in the real
// VS Code host. Prints tables; no pass/fail.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import { loadCorpus } from '../unit/corpus';
import { benchActivation } from './activation';
import { benchContext } from './context';
import { benchCredentials } from './credentials';
import { benchGate } from './gate';
import { benchHistory } from './history';
import { benchStartup } from './startup';
import { benchWindows } from './windows';

const ROOT = join(__dirname, '..', '..', '..');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 14)).join('');
}

export function benchEngine(): string[] {
  const corpus = loadCorpus().map((c) => c.cmd);
  const engine = new Engine({ tier: 'production' });
  for (let i = 0; i < 3; i++) for (const c of corpus) engine.classify(c); // warm up
  const samples: number[] = [];
  const rounds = 30;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    for (const c of corpus) {
      const t0 = process.hrtime.bigint();
      engine.classify(c);
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  const totalS = Number(process.hrtime.bigint() - start) / 1e9;
  samples.sort((a, b) => a - b);
  const gated = corpus.filter((c) => engine.classify(c).decision !== 'allow').length;
  return [
    row(['engine, in process', 'median µs', 'p99 µs', 'max µs', 'commands/s']),
    row([`  ${corpus.length} corpus commands × ${rounds}`, percentile(samples, 50).toFixed(1), percentile(samples, 99).toFixed(1), samples[samples.length - 1].toFixed(0), Math.round(samples.length / totalS)]),
    row([`  corpus: ${gated} gated, ${corpus.length - gated} allowed (production)`, '', '', '', '']),
  ];
}

function timed(engine: Engine, lines: readonly string[], cwd: string, rounds: number): number[] {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const c of lines) {
      const t0 = process.hrtime.bigint();
      engine.classify(c, 'bash', { cwd });
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  return samples.sort((a, b) => a - b);
}

/** The engine told where lines run: the corpus with a folder, and lines whose files it reads or identifies. */
export function benchFiles(): string[] {
  const cwd = mkdtempSync(join(tmpdir(), 'ag-bench-files-'));
  writeFileSync(join(cwd, 'package.json'), JSON.stringify({ scripts: { build: 'tsc -p . && node scripts/copy.js', test: 'mocha', prebuild: 'rimraf dist' } }));
  writeFileSync(join(cwd, 'Makefile'), 'CC=cc\nall: app\napp: main.o\n\t$(CC) -o $@ $^\nmain.o: main.c\n\t$(CC) -c $< -o $@\nclean:\n\trm -f app *.o\n');
  writeFileSync(join(cwd, 'build.sh'), '#!/bin/sh\nset -e\nmkdir -p out\ncp -r src out/\necho done\n'.repeat(20), { mode: 0o755 });
  copyFileSync('/bin/ls', join(cwd, 'myls'));
  const engine = new Engine({ tier: 'production' });
  const corpus = loadCorpus().map((c) => c.cmd);
  const first = process.hrtime.bigint();
  engine.classify('./myls -la', 'bash', { cwd });
  const firstMs = Number(process.hrtime.bigint() - first) / 1e6;
  const files = ['npm run build', 'make', 'sh build.sh', './build.sh', '. ./build.sh', './myls -la', 'ls -la', 'git status'];
  for (let i = 0; i < 3; i++) timed(engine, [...corpus, ...files], cwd, 1);
  const withCwd = timed(engine, corpus, cwd, 20);
  const reading = timed(engine, files.slice(0, 6), cwd, 200);
  const plain = timed(engine, ['ls -la', 'git status'], cwd, 500);
  const r = (label: string, s: number[]) => row([label, percentile(s, 50).toFixed(1), percentile(s, 99).toFixed(1), s[s.length - 1].toFixed(0), '']);
  return [
    row(['engine, told the folder (reads files)', 'median µs', 'p99 µs', 'max µs', '']),
    r(`  ${corpus.length} corpus commands × 20, with a cwd`, withCwd),
    r('  npm run, make, sh/./ scripts, . file, ./copy', reading),
    r('  ls -la, git status (nothing to read)', plain),
    row(['  first program run by path (tables PATH)', (firstMs * 1000).toFixed(0), '', '', '']),
  ];
}

export function benchCli(lines = 10000): string[] {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) return [`CLI: ${cli} not built (run npm run build)`];
  const corpus = loadCorpus().map((c) => c.cmd);
  const input = Array.from({ length: lines }, (_, i) => JSON.stringify({ command: corpus[i % corpus.length] })).join('\n') + '\n';
  const runs: number[] = [];
  let status: number | null = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [cli, 'classify', '--env', 'production', '--jsonl'], { input, maxBuffer: 1 << 28 });
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    status = r.status;
  }
  runs.sort((a, b) => a - b);
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, [cli, '--version']);
  const startup = Number(process.hrtime.bigint() - start) / 1e6;
  return [
    row(['CLI (node dist/cli.js)', 'median ms', 'best ms', 'exit', '']),
    row([`  classify --jsonl, ${lines} lines`, runs[2].toFixed(0), runs[0].toFixed(0), String(status), '']),
    row(['  process start-up (--version)', startup.toFixed(0), '', '', '']),
  ];
}

if (require.main === module) {
  // `npm run bench -- gate activation` runs only the named parts; with no names, all of them.
  const parts: [string, () => string[] | Promise<string[]>][] = [
    ['activation', benchActivation],
    ['engine', () => ['', ...benchEngine(), '', ...benchFiles(), '', ...benchWindows(), '', ...benchCli()]],
    ['context', async () => ['', ...(await benchContext())]],
    ['gate', async () => ['', ...(await benchGate())]],
    ['credentials', async () => ['', ...(await benchCredentials())]],
    ['history', async () => ['', ...(await benchHistory())]],
    ['startup', () => ['', ...benchStartup()]],
  ];
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !parts.some(([name]) => name === w));
  if (unknown.length) {
    console.error(`unknown bench part ${unknown.join(', ')}; the parts are: ${parts.map(([name]) => name).join(', ')}`);
    process.exit(2);
  }
  void (async () => {
    for (const [name, run] of parts) if (!wanted.length || wanted.includes(name)) console.log((await run()).join('\n'));
  })();
}
