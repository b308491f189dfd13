// The engine on the Windows corpus (test/corpus/windows): PowerShell and cmd lines, in process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../src/core/classify';
import type { ShellKind } from '../../src/core/parse/dialect';

const DIR = join(__dirname, '..', '..', '..', 'test', 'corpus', 'windows');

function lines(file: string): string[] {
  return readFileSync(join(DIR, file), 'utf8').split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#')).map((l) => JSON.parse(l).cmd as string);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

export function benchWindows(rounds = 30): string[] {
  const engine = new Engine({ tier: 'production' });
  const out = ['engine, in process, Windows corpus          median µs     p99 µs        max µs        commands/s'];
  for (const [file, shell] of [['powershell.jsonl', 'powershell'], ['cmd.jsonl', 'cmd']] as [string, ShellKind][]) {
    const corpus = lines(file);
    for (let i = 0; i < 3; i++) for (const c of corpus) engine.classify(c, shell);
    const samples: number[] = [];
    const start = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) {
      for (const c of corpus) {
        const t0 = process.hrtime.bigint();
        engine.classify(c, shell);
        samples.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
    }
    const totalS = Number(process.hrtime.bigint() - start) / 1e9;
    samples.sort((a, b) => a - b);
    const cells = [`  ${corpus.length} ${shell} lines × ${rounds}`, percentile(samples, 50).toFixed(1), percentile(samples, 99).toFixed(1), samples[samples.length - 1].toFixed(0), Math.round(samples.length / totalS)];
    out.push(cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 14)).join(''));
  }
  return out;
}

if (require.main === module) console.log(benchWindows().join('\n'));
