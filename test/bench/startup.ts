// Activation to a working gate in the real VS Code extension host (code-server, as the integration tests run it),
// on the bundle that ships (`node esbuild.mjs --production`): how long activate() takes, when the gate listens, and
// how soon after a terminal's shell is up the gate answers its first line. Runs the startup integration test alone,
// a few times, each in a fresh host; the development bundle is rebuilt afterwards.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const RUNS = 3;
/** From the extension starting to load (dist/extension.js loading dist/main.js) to the gate listening. */
const TARGET_MS = 50;

interface Figures {
  loadStartToListeningCpuMs: number;
  loadMs: number;
  codeCache: string;
  loadStartToListeningMs: number;
  gateListeningMs: number;
  activateMs: number;
  afterGateLoadMs: number;
  afterGateCodeCache: string;
  listeningToAfterGateLoadedMs: number;
  terminalReadyMs: number;
  firstAnswerAfterTerminalReadyMs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 17)).join('');
}

export function benchStartup(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ag-bench-startup-'));
  const runs: Figures[] = [];
  // One code cache for all runs, as one VS Code keeps it: the first run writes it, the later ones load with it.
  const codeCache = join(dir, 'code-cache');
  try {
    const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) return [`startup bench: production build failed: ${built.stderr}`];
    for (let i = 0; i < RUNS; i++) {
      const file = join(dir, `run${i}.json`);
      const r = spawnSync(process.execPath, ['test/harness/run-integration.mjs'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, AGENT_GUARD_TEST_GREP: '^startup:', AGENT_GUARD_STARTUP_TIMES: file, INTEGRATION_TIMEOUT_S: '300', AGENT_GUARD_CODE_CACHE_DIR: codeCache },
      });
      if (r.status !== 0) return [`startup bench: the real VS Code run failed (${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`];
      runs.push(JSON.parse(readFileSync(file, 'utf8')) as Figures);
    }
  } finally {
    spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
    rmSync(dir, { recursive: true, force: true });
  }
  const col = (k: keyof Figures) => runs.map((f) => Number(f[k]).toFixed(0)).join(' / ');
  const listening = median(runs.map((f) => f.gateListeningMs));
  // Later starts (the code cache written by the first run) are what VS Code's every start but the first one costs.
  const later = runs.slice(1).filter((f) => f.codeCache === 'used');
  const total = later.length ? median(later.map((f) => f.loadStartToListeningMs)) : NaN;
  // CPU time of the host's thread over the same span: what a busy, shared machine stretches least.
  const laterCpu = later.length ? median(later.map((f) => f.loadStartToListeningCpuMs)) : NaN;
  return [
    row([`activation in the real VS Code host × ${RUNS}`, 'median ms', 'runs ms', '', '', '', '']),
    row(['  dist/main.js loaded, before the gate', median(runs.map((f) => f.loadMs)).toFixed(0), `${col('loadMs')} (code cache: ${runs.map((f) => f.codeCache).join(', ')})`]),
    row(['  activate() entered → gate listening', listening.toFixed(0), col('gateListeningMs')]),
    row(['  load started → gate listening', median(runs.map((f) => f.loadStartToListeningMs)).toFixed(0), col('loadStartToListeningMs')]),
    row(['  load started → gate listening, CPU ms', median(runs.map((f) => f.loadStartToListeningCpuMs)).toFixed(0), col('loadStartToListeningCpuMs')]),
    row(['  dist/afterGate.js loaded, after it', median(runs.map((f) => f.afterGateLoadMs)).toFixed(0), `${col('afterGateLoadMs')} (code cache: ${runs.map((f) => f.afterGateCodeCache).join(', ')})`]),
    row(['  gate listening → the rest composed', median(runs.map((f) => f.listeningToAfterGateLoadedMs)).toFixed(0), col('listeningToAfterGateLoadedMs')]),
    row(['  activate() entered → returned', median(runs.map((f) => f.activateMs)).toFixed(0), col('activateMs')]),
    row(['  new terminal → its shell integration up', median(runs.map((f) => f.terminalReadyMs)).toFixed(0), col('terminalReadyMs')]),
    row(['  shell up → its first line answered', median(runs.map((f) => f.firstAnswerAfterTerminalReadyMs)).toFixed(0), col('firstAnswerAfterTerminalReadyMs')]),
    row([`  target: load → listening < ${TARGET_MS} ms`, total < TARGET_MS ? 'met' : 'MISSED', `${Number.isNaN(total) ? 'no run used the cache' : `${total.toFixed(0)} ms`} (later starts)`, `  first start ${runs[0].loadStartToListeningMs.toFixed(0)} ms`, `  CPU ${Number.isNaN(laterCpu) ? '?' : laterCpu.toFixed(0)} ms later, ${runs[0].loadStartToListeningCpuMs.toFixed(0)} ms first`]),
  ];
}

if (require.main === module) console.log(benchStartup().join('\n'));
