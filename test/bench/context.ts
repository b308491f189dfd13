// Context meter bench: meter a large generated Claude Code transcript cold, then each appended megabyte.
// Also home of the transcript generator the unit tests use for their large fixture.

import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionTracker } from '../../src/core/context';

const SESSION = '5c1d9e2a-8f47-4b6c-a3d0-7e91b24f6c58';
const CWD = '/home/dev/big-repo';

/** The context tokens the generated assistant record number `i` reports. */
export function generatedContextTokens(i: number): number {
  return 3 + 800 + (20_000 + i) + 150;
}

/**
 * Lines shaped like a real Claude Code session: a prompt, then assistant tool calls with usage and tool results of a
 * few kilobytes (the bulk of real transcripts). Record numbers start at `from`; returns the text and the last number.
 */
export function generateClaudeLines(targetBytes: number, from = 0): { text: string; last: number } {
  const filler = 'x'.repeat(64);
  const output = Array.from({ length: 60 }, (_, k) => `src/module${k}/file${k}.ts:${k}: ${filler}`).join('\n');
  const parts: string[] = [];
  let bytes = 0;
  let i = from;
  for (; bytes < targetBytes; i++) {
    const ts = new Date(Date.UTC(2025, 9, 14, 9, 0, 0) + i * 1000).toISOString();
    const assistant = JSON.stringify({
      parentUuid: `u${i}`, isSidechain: false, userType: 'external', cwd: CWD, sessionId: SESSION, version: '2.0.14', gitBranch: 'main', type: 'assistant',
      message: {
        id: `msg_${i}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929',
        content: [{ type: 'tool_use', id: `toolu_${i}`, name: 'Bash', input: { command: `grep -rn "pattern${i}" src`, description: 'Search' } }],
        stop_reason: 'tool_use',
        usage: { input_tokens: 3, cache_creation_input_tokens: 800, cache_read_input_tokens: 20_000 + i, output_tokens: 150, service_tier: 'standard' },
      },
      uuid: `a${i}`, timestamp: ts,
    });
    const result = JSON.stringify({
      parentUuid: `a${i}`, isSidechain: false, userType: 'external', cwd: CWD, sessionId: SESSION, version: '2.0.14', gitBranch: 'main', type: 'user',
      message: { role: 'user', content: [{ tool_use_id: `toolu_${i}`, type: 'tool_result', content: output, is_error: false }] },
      uuid: `u${i + 1}`, timestamp: ts,
    });
    parts.push(assistant, result);
    bytes += assistant.length + result.length + 2;
  }
  return { text: parts.join('\n') + '\n', last: i - 1 };
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 14)).join('');
}

/** Meters a `totalMB` transcript cold, then `appends` appended megabytes one at a time. Printable rows. */
export async function benchContext(totalMB = 100, appends = 5): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ag-context-bench-'));
  try {
    const file = join(dir, `${SESSION}.jsonl`);
    const MB = 1024 * 1024;
    let last = -1;
    // Written in 10 MB pieces so the generator never holds 100 MB of strings.
    for (let written = 0; written < totalMB * MB; written += 10 * MB) {
      const g = generateClaudeLines(Math.min(10 * MB, totalMB * MB - written), last + 1);
      if (written === 0) writeFileSync(file, g.text);
      else appendFileSync(file, g.text);
      last = g.last;
    }
    const tracker = new SessionTracker();
    const t0 = process.hrtime.bigint();
    const cold = await tracker.update({ kind: 'claude', path: file, id: SESSION });
    const coldMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const coldBytes = tracker.reader.bytesRead;
    const rows = [
      row(['context meter (Claude transcript)', 'ms', 'MB read', 'reads', 'MB/s']),
      row([`  cold, ${totalMB} MB`, coldMs.toFixed(0), (coldBytes / MB).toFixed(1), tracker.reader.reads, ((coldBytes / MB) / (coldMs / 1000)).toFixed(0)]),
    ];
    const samples: number[] = [];
    let ok = cold?.contextTokens === generatedContextTokens(last);
    for (let k = 0; k < appends; k++) {
      const g = generateClaudeLines(MB, last + 1);
      last = g.last;
      appendFileSync(file, g.text);
      const reads0 = tracker.reader.reads;
      const bytes0 = tracker.reader.bytesRead;
      const t1 = process.hrtime.bigint();
      const m = await tracker.update({ kind: 'claude', path: file, id: SESSION });
      const ms = Number(process.hrtime.bigint() - t1) / 1e6;
      samples.push(ms);
      ok &&= m?.contextTokens === generatedContextTokens(last);
      if (k === appends - 1) {
        rows.push(row([`  +1 MB appended (last of ${appends})`, ms.toFixed(1), ((tracker.reader.bytesRead - bytes0) / MB).toFixed(2), tracker.reader.reads - reads0, '']));
      }
    }
    samples.sort((a, b) => a - b);
    rows.push(row([`  +1 MB appended, median of ${appends}`, samples[Math.floor(samples.length / 2)].toFixed(1), '', '', '']));
    rows.push(row([`  meter matches recorded usage: ${ok ? 'yes' : 'NO'}`, '', '', '', '']));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchContext().then((rows) => console.log(rows.join('\n')));
}
