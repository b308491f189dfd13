// Activation to a working gate in the real VS Code extension host (code-server, as the integration tests run it),
// on the bundle that ships (`node esbuild.mjs --production`): how long activate() takes, when the gate listens and
// works (new terminals get it), when the engine has loaded behind it, and how soon after a terminal's shell is up the
// gate answers its first line. Runs the startup integration test alone, a few times, each in a fresh host, on first
// starts (in a new VS Code profile, and in one VS Code has run in) and on later ones; the development bundle is
// rebuilt afterwards.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
/** How many starts of each kind (see KINDS); AG_BENCH_RUNS sets another number. */
const RUNS = Math.max(1, Math.floor(Number(process.env.AG_BENCH_RUNS) || 3));
const EXTENSION_ID = 'agent-guard.agent-guard';
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

/** A table row: the label, then a median and the runs for each kind of start. */
function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : i % 2 ? 17 : 22)).join('');
}

/** The kinds of start measured, in the order each triple runs them. */
const KINDS = [
  // A new VS Code profile: VS Code's own first run (its profile, storage and built-in extensions set up beside us).
  { key: 'both', title: 'new VS Code', cache: 'none' },
  // The profile that start left, with the extension's storage and code cache removed: installed into a VS Code in use.
  { key: 'first', title: 'first start', cache: 'none' },
  // The same profile again, with the storage and code cache that start wrote: every start after it.
  { key: 'later', title: 'later start', cache: 'used' },
] as const;
type Kind = (typeof KINDS)[number]['key'];

export function benchStartup(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'ag-bench-startup-'));
  // Triples of starts, each in a fresh host and alternated so that all three see the same load on the machine: the
  // extension's first start (a new, empty code cache folder and extension storage, as after installing it: the
  // gate's shell folder is laid down) in a new VS Code profile and in one VS Code has run in, then a later start.
  const runs: Record<Kind, Figures[]> = { both: [], first: [], later: [] };
  try {
    const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: ROOT, encoding: 'utf8' });
    if (built.status !== 0) return [`startup bench: production build failed: ${built.stderr}`];
    for (let t = 0; t < RUNS; t++) {
      const profile = join(dir, `profile-${t}`);
      for (const [k, kind] of KINDS.entries()) {
        const file = join(dir, `run${t}-${k}.json`);
        const codeCache = join(dir, `code-cache-${t}-${kind.key === 'both' ? 'both' : 'first'}`);
        if (kind.key === 'first') {
          // What installing the extension into this VS Code leaves: none of its storage (the gate's shell folder).
          const storage = join(profile, 'User', 'globalStorage', EXTENSION_ID);
          if (!existsSync(join(storage, 'shell'))) return [`startup bench: the first start left no extension storage at ${storage}`];
          rmSync(storage, { recursive: true, force: true });
        }
        const r = spawnSync(process.execPath, ['test/harness/run-integration.mjs'], {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, AGENT_GUARD_TEST_GREP: '^startup:', AGENT_GUARD_STARTUP_TIMES: file, INTEGRATION_TIMEOUT_S: '300', AGENT_GUARD_CODE_CACHE_DIR: codeCache, AGENT_GUARD_HOST_USER_DATA: profile },
        });
        if (r.status !== 0) return [`startup bench: the real VS Code run failed (${r.status}):\n${(r.stdout + r.stderr).slice(-3000)}`];
        const f = JSON.parse(readFileSync(file, 'utf8')) as Figures;
        if (f.codeCache !== kind.cache) return [`startup bench: a start (${kind.title}) should have had code cache "${kind.cache}", but had "${f.codeCache}"`];
        runs[kind.key].push(f);
      }
    }
  } finally {
    spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT });
    rmSync(dir, { recursive: true, force: true });
  }
  const lines: string[] = [row([`activation, real VS Code host, ${RUNS} of each`, ...KINDS.flatMap((k) => [k.title, 'runs'])])];
  const all = (fs: Figures[], value: (f: Figures) => number, digits = 0) => fs.map((f) => value(f).toFixed(digits)).join(' / ');
  const cells = (value: (f: Figures) => number, digits = 0, withRuns = true) =>
    KINDS.flatMap((k) => [median(runs[k.key].map(value)).toFixed(digits), withRuns ? all(runs[k.key], value, digits) : '']);
  const line = (label: string, k: keyof Figures) => lines.push(row([label, ...cells((f) => Number(f[k]))]));
  line('  dist/main.js loaded, before the gate', 'loadMs');
  for (const [label, k] of [['read', 'readMs'], ['compiled', 'compileMs'], ['top level run', 'runMs']] as const) {
    lines.push(row([`    ${label}`, ...cells((f) => f.loadPhases?.[k] ?? NaN, 1, false)]));
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
  // Where the time to a working gate goes: each step's median, wall / CPU, in the order the starts took them.
  lines.push(row(['  steps to a working gate (wall / CPU ms)']));
  const stepMedian = (fs: Figures[], step: string, k: 'ms' | 'cpuMs') => {
    const xs = fs.flatMap((f) => (f.steps ?? []).filter((s) => s.step === step).map((s) => s[k]));
    return xs.length ? median(xs).toFixed(1) : '-';
  };
  for (const step of [...new Set(KINDS.flatMap((k) => runs[k.key].flatMap((f) => (f.steps ?? []).map((s) => s.step))))]) {
    lines.push(row([`    ${step}`, ...KINDS.flatMap((k) => [`${stepMedian(runs[k.key], step, 'ms')} / ${stepMedian(runs[k.key], step, 'cpuMs')}`, ''])]));
  }
  for (const k of KINDS) {
    const wall = median(runs[k.key].map((f) => f.loadStartToReadyMs));
    const cpu = median(runs[k.key].map((f) => f.loadStartToReadyCpuMs));
    lines.push(`  target: load → gate working < ${TARGET_MS} ms, ${k.title}: ${wall < TARGET_MS ? 'met' : 'MISSED'}, ${wall.toFixed(0)} ms (CPU ${cpu.toFixed(0)} ms)`);
  }
  return lines;
}

if (require.main === module) console.log(benchStartup().join('\n'));
