// Activation to a working gate in the real VS Code extension host (code-server, as the integration tests run it),
// on the bundle that ships (`node esbuild.mjs --production`): how long activate() takes, when the gate listens and
// works (new terminals get it), when the engine has loaded behind it, and how soon after a terminal's shell is up the
// gate answers its first line. Runs the startup integration test alone, a few times, each in a fresh host, on first
// starts and on later ones; the development bundle is rebuilt afterwards.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
/** First starts, each followed by a later start with the code cache and the extension storage it wrote. */
const PAIRS = Number(process.env.AG_BENCH_PAIRS) || 3;
/**
 * From the extension starting to load (dist/extension.js loading dist/main.js) to a working gate: listening, the
 * shells' scripts installed and new terminals given its environment (startupTimes.gateReady). A first start lays the
 * PATH shims down after that (startupTimes.shimsPlaced), reported beside it.
 */
const TARGET_MS = 50;

interface Figures {
  loadStartToListeningCpuMs: number;
  loadStartToReadyCpuMs: number;
  loadStartToReadyMs: number;
  loadStartToEngineLoadedMs: number;
  loadStartToShimsPlacedMs: number;
  loadMs: number;
  loadPhases: { readMs: number; compileMs: number; runMs: number };
  codeCache: string;
  loadStartToListeningMs: number;
  gateListeningMs: number;
  activateMs: number;
  afterGateLoadMs: number;
  afterGateCodeCache: string;
  listeningToAfterGateLoadedMs: number;
  terminalReadyMs: number;
  firstAnswerAfterTerminalReadyMs: number;
  steps: { step: string; ms: number; cpuMs: number }[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 20)).join('');
}

export function benchStartup(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ag-bench-startup-'));
  // Pairs of starts, each in a fresh host: a first start (a new, empty code cache folder and extension storage, as
  // after installing the extension: the gate's shell folder is laid down), then a later one with the cache and the
  // folder that start wrote, as every start after it. Alternating them lets both see the same load on the machine.
  const first: Figures[] = [];
  const later: Figures[] = [];
  try {
    const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) return [`startup bench: production build failed: ${built.stderr}`];
    for (let i = 0; i < PAIRS * 2; i++) {
      const file = join(dir, `run${i}.json`);
      const codeCache = join(dir, `code-cache-${Math.floor(i / 2)}`);
      const profile = join(dir, `profile-${Math.floor(i / 2)}`);
      const r = spawnSync(process.execPath, ['test/harness/run-integration.mjs'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, AGENT_GUARD_TEST_GREP: '^startup:', AGENT_GUARD_STARTUP_TIMES: file, INTEGRATION_TIMEOUT_S: '300', AGENT_GUARD_CODE_CACHE_DIR: codeCache, AGENT_GUARD_HOST_USER_DATA: profile },
      });
      if (r.status !== 0) return [`startup bench: the real VS Code run failed (${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`];
      const f = JSON.parse(readFileSync(file, 'utf8')) as Figures;
      const expected = i % 2 ? 'used' : 'none';
      if (f.codeCache !== expected) return [`startup bench: start ${i + 1} should have had code cache "${expected}", but had "${f.codeCache}"`];
      (i % 2 ? later : first).push(f);
    }
  } finally {
    spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
    rmSync(dir, { recursive: true, force: true });
  }
  const lines: string[] = [row([`activation, real VS Code host, ${PAIRS}+${PAIRS} starts`, 'first: median', 'runs', 'later: median', 'runs'])];
  const line = (label: string, k: keyof Figures) => {
    const m = (runs: Figures[]) => median(runs.map((f) => Number(f[k]))).toFixed(0);
    const all = (runs: Figures[]) => runs.map((f) => Number(f[k]).toFixed(0)).join(' / ');
    lines.push(row([label, m(first), all(first), m(later), all(later)]));
  };
  line('  dist/main.js loaded, before the gate', 'loadMs');
  for (const [label, k] of [['read', 'readMs'], ['compiled', 'compileMs'], ['top level run', 'runMs']] as const) {
    const m = (runs: Figures[]) => median(runs.map((f) => f.loadPhases?.[k] ?? NaN)).toFixed(1);
    lines.push(row([`    ${label}`, m(first), '', m(later), '']));
  }
  line('  activate() entered → gate listening', 'gateListeningMs');
  line('  load started → gate listening', 'loadStartToListeningMs');
  line('  load started → gate listening, CPU ms', 'loadStartToListeningCpuMs');
  line('  load started → gate working', 'loadStartToReadyMs');
  line('  load started → gate working, CPU ms', 'loadStartToReadyCpuMs');
  line('  load started → PATH shims in place', 'loadStartToShimsPlacedMs');
  line('  load started → engine loaded', 'loadStartToEngineLoadedMs');
  line('  dist/afterGate.js loaded, after it', 'afterGateLoadMs');
  line('  gate listening → the rest composed', 'listeningToAfterGateLoadedMs');
  line('  activate() entered → returned', 'activateMs');
  line('  new terminal → its shell integration up', 'terminalReadyMs');
  line('  shell up → its first line answered', 'firstAnswerAfterTerminalReadyMs');
  // Where the time to a working gate goes: each step's median, in the order the first start took them.
  lines.push(row(['  steps to a working gate (wall / CPU ms)', 'first: median', '', 'later: median', '']));
  const stepMedian = (runs: Figures[], step: string, k: 'ms' | 'cpuMs') => {
    const xs = runs.flatMap((f) => (f.steps ?? []).filter((s) => s.step === step).map((s) => s[k]));
    return xs.length ? median(xs).toFixed(1) : '-';
  };
  for (const step of [...new Set([...first, ...later].flatMap((f) => (f.steps ?? []).map((s) => s.step)))]) {
    lines.push(row([`    ${step}`, `${stepMedian(first, step, 'ms')} / ${stepMedian(first, step, 'cpuMs')}`, '', `${stepMedian(later, step, 'ms')} / ${stepMedian(later, step, 'cpuMs')}`, '']));
  }
  const verdict = (runs: Figures[], what: string) => {
    const wall = median(runs.map((f) => f.loadStartToReadyMs));
    const cpu = median(runs.map((f) => f.loadStartToReadyCpuMs));
    return `${what} ${wall < TARGET_MS ? 'met' : 'MISSED'}: ${wall.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms)`;
  };
  lines.push(row([`  target: load → gate working < ${TARGET_MS} ms`, verdict(first, 'first start'), '', verdict(later, 'later starts')]));
  return lines;
}

if (require.main === module) console.log(benchStartup().join('\n'));
