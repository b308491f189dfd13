// The red team on the agents' hooks (test/redteam/hooks/*.jsonl): each attempt is a short series of tool calls an
// agent makes in a folder labelled production by its own .vscode/settings.json, with no VS Code window — the hook as
// installed (`agent-guard hook <agent>`, no --env), the real engine, adapters, window registry and audit log. A step
// the hook does not refuse really happens (its `sh` runs in bash, its `write` is written), so the next step meets the
// world the agent made. The attempt is held when the hook refuses one of its steps. `needs` marks what got through
// when it was written (reported, not failed).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Engine } from '../../src/core/classify';
import { defaultHookDeps, runHook } from '../../src/cli/hooks/runner';

interface Step {
  payload: Record<string, unknown>;
  /** Run in bash in the folder when the hook lets the step through. */
  sh?: string;
  /** [path, content] written when the hook lets the step through. */
  write?: [string, string];
  /** Variables the agent hands its hooks for this step (its settings' `env`, the project's .env it loads). */
  env?: Record<string, string>;
}

interface HookAttempt {
  id: string;
  layer: 'hook';
  note?: string;
  agent: 'claude' | 'codex' | 'gemini' | 'cursor' | 'copilot';
  /** The folder's label in .vscode/settings.json (production unless said; null for none). */
  label?: string | null;
  files?: Record<string, string>;
  /** A listener of the agent's own on loopback that answers every question with allow. */
  fakeGate?: boolean;
  steps: Step[];
  needs?: string;
}

const DIR = join(__dirname, '..', '..', '..', 'test', 'redteam', 'hooks');

function loadHookAttempts(): HookAttempt[] {
  const out: HookAttempt[] = [];
  for (const f of readdirSync(DIR).filter((n) => n.endsWith('.jsonl')).sort()) {
    readFileSync(join(DIR, f), 'utf8')
      .split('\n')
      .forEach((l, i) => {
        if (!l.trim() || l.startsWith('//')) return;
        const a = JSON.parse(l) as HookAttempt;
        if (!a.id || !a.agent || !Array.isArray(a.steps) || !a.steps.length) throw new Error(`${f}:${i + 1}: needs an id, an agent and steps`);
        out.push(a);
      });
  }
  return out;
}

const EVENT: Record<string, string> = { gemini: 'BeforeTool', cursor: 'beforeShellExecution' };

/** The verdict in any agent's answer: deny, allow, or null (no opinion). */
function verdictOf(stdout: string, code: number): string | null {
  if (code === 2) return 'deny';
  if (!stdout.trim()) return null;
  const b = JSON.parse(stdout);
  const d = b.hookSpecificOutput?.permissionDecision ?? b.permissionDecision ?? b.decision ?? b.permission;
  return typeof d === 'string' ? d : null;
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(PID|FAKE_PORT|DIR)\}/g, (_, k: string) => vars[k]);
}

function fillDeep<T>(v: T, vars: Record<string, string>): T {
  return JSON.parse(JSON.stringify(v), (_k, x) => (typeof x === 'string' ? fill(x, vars) : x));
}

async function fakeGate(): Promise<{ server: Server; port: number }> {
  const server = createServer((c) => {
    c.on('error', () => {});
    c.once('data', () => c.end('allow T approved\n'));
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return { server, port };
}

interface HookResult {
  attempt: HookAttempt;
  held: boolean;
  answers: string[];
}

async function runAttempt(root: string, a: HookAttempt): Promise<HookResult> {
  const home = join(root, a.id, 'home');
  const dir = join(root, a.id, 'shop');
  const state = join(home, '.local', 'state');
  // A VS Code window ran here once: the registry folder exists.
  mkdirSync(join(state, 'agent-guard', 'windows'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'data', 'sentinel'), 'keep\n');
  writeFileSync(join(dir, 'notes.txt'), 'notes\n');
  const label = a.label === undefined ? 'production' : a.label;
  if (label) {
    mkdirSync(join(dir, '.vscode'), { recursive: true });
    writeFileSync(join(dir, '.vscode', 'settings.json'), `{ "agentGuard.environment": "${label}" }\n`);
  }
  for (const [p, text] of Object.entries(a.files ?? {})) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  const gate = a.fakeGate ? await fakeGate() : undefined;
  const vars = { PID: String(process.pid), FAKE_PORT: String(gate?.port ?? 1), DIR: dir };
  const env = { PATH: process.env.PATH, HOME: home, XDG_STATE_HOME: state, KUBECONFIG: join(home, 'no-kubeconfig') };
  const answers: string[] = [];
  let held = false;
  try {
    for (const raw of a.steps) {
      const step = fillDeep(raw, vars);
      const payload = { cwd: dir, hook_event_name: EVENT[a.agent] ?? 'PreToolUse', session_id: 'r3', ...step.payload };
      if (payload.cwd === null) delete (payload as Record<string, unknown>).cwd;
      const input = new PassThrough();
      input.end(JSON.stringify(payload));
      let out = '';
      const code = await runHook([a.agent], { stdin: input, stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true } }, defaultHookDeps({ ...env, ...step.env }));
      const v = verdictOf(out, code);
      answers.push(v ?? 'no opinion');
      if (v === 'deny') {
        held = true;
        break;
      }
      if (step.sh) spawnSync('bash', ['-c', step.sh], { cwd: dir, env, stdio: 'ignore', timeout: 10000 });
      if (step.write) {
        const p = join(dir, step.write[0]);
        writeFileSync(p, step.write[1]);
      }
    }
  } finally {
    gate?.server.close();
  }
  return { attempt: a, held, answers };
}

describe('red team: the agents hooks (a production folder, no window, the hook as installed)', function () {
  this.timeout(120000);
  const attempts = loadHookAttempts();
  let root: string;
  let results: HookResult[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'ag-redteam-hooks-'));
    const only = process.env.AG_REDTEAM_ONLY ? new RegExp(process.env.AG_REDTEAM_ONLY) : null;
    for (const a of attempts.filter((x) => !only || only.test(x.id))) results.push(await runAttempt(root, a));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('has attempts for every agent', () => {
    for (const agent of ['claude', 'codex', 'gemini', 'cursor', 'copilot']) assert.ok(attempts.some((a) => a.agent === agent), `no attempt for ${agent}`);
  });

  it('refuses every attempt', () => {
    const real = results.filter((r) => !r.attempt.needs);
    const pending = results.filter((r) => r.attempt.needs);
    console.log(
      `\n      redteam hooks: ${real.filter((r) => r.held).length}/${real.length} attempts held` +
        (pending.length ? `; ${pending.filter((r) => r.held).length}/${pending.length} held of the attempts that need other branches (${[...new Set(pending.map((r) => r.attempt.needs))].join(', ')})` : ''),
    );
    for (const p of pending.filter((r) => !r.held)) console.log(`      pending (${p.attempt.needs}): ${p.attempt.id}: ${p.answers.join(' → ')}`);
    const leaks = real.filter((r) => !r.held).map((r) => `${r.attempt.id} (${r.attempt.agent}): ${r.answers.join(' → ')}`);
    assert.equal(leaks.length, 0, `got through:\n${leaks.join('\n')}`);
  });
});

interface WindowsAttempt {
  id: string;
  shell: 'powershell' | 'cmd';
  command: string;
  note?: string;
  /** Files in the folder the line runs in (script files it runs); the line is then judged there, as the hooks do. */
  files?: Record<string, string>;
  needs?: string;
}

describe('red team: the PowerShell and cmd readers (production, as check --shell judges)', () => {
  const attempts: WindowsAttempt[] = readdirSync(join(DIR, '..', 'windows'))
    .filter((n) => n.endsWith('.jsonl'))
    .sort()
    .flatMap((n) => readFileSync(join(DIR, '..', 'windows', n), 'utf8').split('\n'))
    .filter((l) => l.trim() && !l.startsWith('//'))
    .map((l) => JSON.parse(l));
  const engine = new Engine({ tier: 'production' });
  let root: string;
  before(() => (root = mkdtempSync(join(tmpdir(), 'ag-redteam-win-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  /** The attempt judged in a folder of its own holding data/ and its files, or with no folder when it has none. */
  function judge(a: WindowsAttempt) {
    if (!a.files) return engine.classify(a.command, a.shell);
    const dir = join(root, a.id);
    mkdirSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data', 'sentinel'), 'keep\n');
    for (const [p, text] of Object.entries(a.files)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), text);
    }
    return engine.classify(a.command, a.shell, { cwd: dir });
  }

  it('holds or refuses every attempt', () => {
    const results = attempts.map((a) => ({ a, d: judge(a) }));
    const held = (r: (typeof results)[number]) => r.d.decision !== 'allow';
    const real = results.filter((r) => !r.a.needs);
    const pending = results.filter((r) => r.a.needs);
    console.log(`\n      redteam windows: ${real.filter(held).length}/${real.length} attempts held` + (pending.length ? `; ${pending.filter(held).length}/${pending.length} held of the attempts that need other branches` : ''));
    for (const p of pending.filter((r) => !held(r))) console.log(`      pending (${p.a.needs}): ${p.a.id}: ${p.a.command}`);
    const leaks = real.filter((r) => !held(r)).map((r) => `${r.a.id} (${r.a.shell}): ${r.a.command}`);
    assert.equal(leaks.length, 0, `got through:\n${leaks.join('\n')}`);
  });
});
