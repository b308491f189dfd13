// Terminal gate bench: what the gate adds to each command in a real interactive bash on a pseudo-terminal, what one
// round trip to the gate costs, and what a PATH shim adds to a program a script runs. The gate server runs in a child
// process, as it does in the editor: in this process it would share the event loop with the timing (and deadlock on
// the synchronous runs).

import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, Interface } from 'node:readline';
import { ask, GateAddress } from '../../src/gate/client';
import { BASH_PROMPT_HOOK, installShellGate, registerGatePort } from '../../src/gate/install';

const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');
/** The transpiled sources next to this file's own output (out/src). */
const OUT_SRC = join(__dirname, '..', '..', 'src');
const LINES = 200;
const WARM_UP = 10;
const ASKS = 1000;
const TARGET_GUARDED_MS = 5;
/** What still counts as "adds nothing" for a line the prefilter lets through: well under a keystroke's notice. */
const TARGET_UNGUARDED_MS = 0.5;
/** Printed by PROMPT_COMMAND before each prompt: a command has finished when it appears. */
const PROMPT_MARK = 'ag-bench-prompt';

/** The editor's side in a child process: engine, service, real audit log; counts requests by kind for the bench. */
const SERVER = `
const { join } = require('node:path');
const [outSrc, auditPath, workspace] = process.argv.slice(1);
const { Engine } = require(join(outSrc, 'core', 'classify.js'));
const { AuditLog } = require(join(outSrc, 'core', 'audit', 'log.js'));
const { GateServer } = require(join(outSrc, 'gate', 'server.js'));
const { GateService } = require(join(outSrc, 'gate', 'service.js'));
const engine = new Engine({ tier: 'production' });
const audit = new AuditLog(auditPath);
let counts = {};
const count = (k) => (counts[k] = (counts[k] || 0) + 1);
const service = new GateService({
  settings: () => ({ engine, tier: 'production', workspace, requireTierPrefix: true }),
  approver: { approve: async () => (count('held'), { approved: false, how: 'dismissed' }), refused: () => count('refused') },
  record: (e) => audit.append(e),
});
const server = new GateServer({ handle: (req, progress, abort) => (count(req.kind), service.handle(req, progress, abort)) });
server.onError = (m) => process.stderr.write(m + '\\n');
server.listen().then((port) => process.stdout.write(JSON.stringify({ port, token: server.token }) + '\\n'));
require('node:readline').createInterface({ input: process.stdin })
  .on('line', () => { process.stdout.write(JSON.stringify(counts) + '\\n'); counts = {}; })
  .on('close', () => process.exit(0));
`;

type Counts = Record<string, number>;

class GateChild {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private exited: string | null = null;
  /** The port and token the server printed when it started listening. */
  readonly address: Promise<GateAddress>;

  constructor(auditPath: string, workspace: string) {
    this.child = spawn(process.execPath, ['-e', SERVER, OUT_SRC, auditPath, workspace], { stdio: 'pipe' });
    this.child.on('exit', (code, signal) => (this.exited = `gate server exited (${signal ?? code})`));
    // Writing to a server that died fails with EPIPE; the next read reports the exit instead.
    this.child.stdin.on('error', () => {});
    this.child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    this.lines = createInterface({ input: this.child.stdout });
    this.address = this.nextLine().then((l) => JSON.parse(l) as GateAddress);
  }

  /** Requests by kind (line, exec, hook; held, refused) since the last call. */
  async counts(): Promise<Counts> {
    const reply = this.nextLine();
    this.child.stdin.write('counts\n');
    return JSON.parse(await reply) as Counts;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }

  private nextLine(): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.exited) return reject(new Error(this.exited));
      const done = () => {
        this.lines.off('line', onLine);
        this.child.off('exit', onExit);
      };
      const onLine = (line: string) => (done(), resolve(line));
      const onExit = () => (done(), reject(new Error(this.exited ?? 'gate server exited')));
      this.lines.on('line', onLine);
      this.child.on('exit', onExit);
    });
  }
}

/** An interactive bash on a pty (util-linux `script`) whose PROMPT_COMMAND ends by printing PROMPT_MARK. */
class Bash {
  private readonly child: ChildProcessWithoutNullStreams;
  output = '';
  private scanned = 0;
  private prompts = 0;
  private waiting: { prompts: number; resolve: (at: bigint) => void } | null = null;

  constructor(env: NodeJS.ProcessEnv, cwd: string) {
    this.child = spawn('script', ['-qfec', 'bash --norc --noprofile -i', '/dev/null'], { env, cwd });
    const take = (d: Buffer) => {
      const at = process.hrtime.bigint();
      this.output += d.toString('utf8');
      let i: number;
      while ((i = this.output.indexOf(PROMPT_MARK, this.scanned)) >= 0) {
        this.prompts++;
        this.scanned = i + PROMPT_MARK.length;
      }
      if (this.waiting && this.prompts >= this.waiting.prompts) {
        this.waiting.resolve(at);
        this.waiting = null;
      }
    };
    this.child.stdout.on('data', take);
    this.child.stderr.on('data', take);
  }

  /** Waits for the first prompt. */
  ready(): Promise<void> {
    return this.until(1, 'the first prompt').then(() => undefined);
  }

  /** Types one line and returns the milliseconds until the next prompt. */
  async time(line: string): Promise<number> {
    const next = this.until(this.prompts + 1, `"${line}" to finish`);
    const t0 = process.hrtime.bigint();
    this.child.stdin.write(`${line}\r`);
    return Number((await next) - t0) / 1e6;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return resolve();
      const kill = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      this.child.once('close', () => (clearTimeout(kill), resolve()));
      this.child.stdin.end('exit\r');
    });
  }

  private until(prompts: number, what: string): Promise<bigint> {
    if (this.prompts >= prompts) return Promise.resolve(process.hrtime.bigint());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; output:\n${this.output.slice(-2000)}`)), 10000);
      this.waiting = { prompts, resolve: (at) => (clearTimeout(timer), resolve(at)) };
    });
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Median and p95 of unsorted samples, "0.41 / 0.62". */
function medP95(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `${percentile(s, 50).toFixed(2)} / ${percentile(s, 95).toFixed(2)}`;
}

function median(samples: number[]): number {
  return percentile([...samples].sort((a, b) => a - b), 50);
}

function row(cells: (string | number)[]): string {
  return cells.map((c, i) => String(c).padEnd(i === 0 ? 44 : 16)).join('');
}

function describeAsks(c: Counts, n: number): string {
  const kinds = Object.entries(c).map(([k, v]) => `${k} ${+(v / n).toFixed(2)}`);
  return kinds.length ? kinds.join(', ') : 'none';
}

/** A repository for `git status` to look at: committed files, a few changed and untracked. */
function makeRepo(dir: string, env: NodeJS.ProcessEnv): void {
  const git = (...args: string[]) => {
    const r = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { cwd: dir, env });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  git('init', '-q');
  mkdirSync(join(dir, 'src'));
  for (let i = 0; i < 50; i++) writeFileSync(join(dir, 'src', `module${i}.ts`), `export const value${i} = ${i};\n`);
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  for (let i = 0; i < 3; i++) writeFileSync(join(dir, 'src', `module${i}.ts`), `export const value${i} = ${i + 1};\n`);
  writeFileSync(join(dir, 'notes.txt'), 'untracked\n');
}

/** Runs a bash script that prints one sample in microseconds per line; returns them in milliseconds. */
function timeScript(script: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): number[] {
  const r = spawnSync('bash', [script, ...args], { env, cwd, encoding: 'utf8' });
  const samples = r.stdout.split('\n').filter(Boolean).map((l) => Number(l) / 1000);
  if (r.status !== 0 || samples.length !== LINES) throw new Error(`${script} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return samples;
}

/** A script timing `body` LINES times after WARM_UP untimed runs, each run preceded by `before`. */
function timingScript(before: string, body: string): string {
  return `for ((i = 0; i < ${WARM_UP + LINES}; i++)); do\n  ${before}\n  t0=\${EPOCHREALTIME//[!0-9]/}\n  ${body}\n  t1=\${EPOCHREALTIME//[!0-9]/}\n  ((i < ${WARM_UP})) || echo $((t1 - t0))\ndone\n`;
}

export async function benchGate(): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'ag-bench-gate-'));
  let server: GateChild | null = null;
  const shells: Bash[] = [];
  try {
    const home = join(root, 'home');
    const work = join(root, 'work');
    mkdirSync(home);
    mkdirSync(work);
    const shell = installShellGate(join(root, 'gate'), SCRIPTS);
    const plainEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, TERM: 'xterm-256color', LANG: 'C.UTF-8', INPUTRC: '/dev/null', PS1: '$ ' };
    makeRepo(work, plainEnv);
    server = new GateChild(join(root, 'audit.jsonl'), work);
    const gate = await server.address;
    registerGatePort(shell.dir, gate.port, gate.token, 'production', 'hold');
    const guardEnv: NodeJS.ProcessEnv = {
      ...plainEnv,
      PATH: `${shell.binDir}:${process.env.PATH}`,
      AGENT_GUARD_PORT: String(gate.port),
      AGENT_GUARD_TOKEN: gate.token,
      AGENT_GUARD_DIR: shell.dir,
      AGENT_GUARD_TIER: 'production',
      AGENT_GUARD_UNREACHABLE: 'hold',
      BASH_ENV: shell.bashEnv,
    };
    const mark = `printf '\\n%s\\n' ${PROMPT_MARK}`;
    const plain = new Bash({ ...plainEnv, PROMPT_COMMAND: mark }, work);
    shells.push(plain);
    const guarded = new Bash({ ...guardEnv, PROMPT_COMMAND: BASH_PROMPT_HOOK + mark }, work);
    shells.push(guarded);
    await Promise.all(shells.map((s) => s.ready()));

    const rows = [row([`terminal gate: bash -i on a pty, ${LINES} lines`, 'plain med/p95', 'guarded med/p95', 'added med ms', 'added mean ms', 'gate asks/line'])];
    const added: Record<string, number> = {};
    const commands: [string, string][] = [
      ['true', 'unguarded'],
      ['ls -la', 'unguarded'],
      ['echo hi', 'unguarded'],
      ['export AG_BENCH=1', 'line gate, a builtin'],
      ['git status', 'line gate, then git'],
    ];
    for (const [cmd, what] of commands) {
      for (let i = 0; i < WARM_UP; i++) for (const s of shells) await s.time(cmd);
      await server.counts();
      const p: number[] = [];
      const g: number[] = [];
      for (let i = 0; i < LINES; i++) {
        p.push(await plain.time(cmd));
        g.push(await guarded.time(cmd));
      }
      const asked = await server.counts();
      if (asked.held || asked.refused) throw new Error(`the gate held or refused "${cmd}": ${JSON.stringify(asked)}`);
      added[cmd] = median(g) - median(p);
      rows.push(row([`  ${cmd} (${what})`, medP95(p), medP95(g), added[cmd].toFixed(2), (mean(g) - mean(p)).toFixed(2), describeAsks(asked, LINES)]));
    }
    if (guarded.output.includes('Agent Guard')) throw new Error(`the gate spoke in the guarded shell:\n${guarded.output.slice(-2000)}`);

    const askBody = { command: 'git status', cwd: work, agent: 'bench' };
    for (let i = 0; i < 50; i++) await ask(gate, askBody, { timeoutMs: 5000 });
    const rtt: number[] = [];
    for (let i = 0; i < ASKS; i++) {
      const t0 = process.hrtime.bigint();
      const r = await ask(gate, askBody, { timeoutMs: 5000 });
      rtt.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.verdict !== 'allow') throw new Error(`ask: ${r.verdict} ${r.message}`);
    }
    rtt.sort((a, b) => a - b);
    rows.push(row([`gate round trip, Node ask() × ${ASKS}`, 'median ms', 'p99 ms', 'max ms', '', '']));
    rows.push(row(['  "git status" (allowed, audited)', percentile(rtt, 50).toFixed(2), percentile(rtt, 99).toFixed(2), rtt[rtt.length - 1].toFixed(2), '', '']));

    const shimScript = join(root, 'git-version.bash');
    writeFileSync(shimScript, timingScript(':', 'git --version >/dev/null'));
    await server.counts();
    const real = timeScript(shimScript, [], plainEnv, work);
    const shimmed = timeScript(shimScript, [], guardEnv, work);
    const shimAsks = await server.counts();
    const shimAdded = median(shimmed) - median(real);
    rows.push(row([`PATH shim, bash script, git --version × ${LINES}`, 'real med/p95', 'shim med/p95', 'added med ms', 'added mean ms', 'gate asks/run']));
    rows.push(row(['  git --version', medP95(real), medP95(shimmed), shimAdded.toFixed(2), (mean(shimmed) - mean(real)).toFixed(2), describeAsks(shimAsks, LINES + WARM_UP)]));

    // What every line pays before anything is asked: the prefilter's word lookups.
    const prefilterScript = join(root, 'prefilter.bash');
    writeFileSync(prefilterScript, `. "$AGENT_GUARD_DIR/lib.bash"\n[[ $1 == fork ]] && before=$(type -P true) || before=:\n${timingScript('"$before"', "__agent_guard_relevant 'ls -la'")}`);
    const prefilterEnv = { ...plainEnv, AGENT_GUARD_DIR: shell.dir };
    const afterBuiltin = timeScript(prefilterScript, ['builtin'], prefilterEnv, work);
    const afterFork = timeScript(prefilterScript, ['fork'], prefilterEnv, work);
    rows.push(row([`bash prefilter alone (lib.bash) × ${LINES}`, 'med/p95 ms', '', '', '', '']));
    rows.push(row(['  "ls -la", previous command a builtin', medP95(afterBuiltin), '', '', '', '']));
    rows.push(row(['  "ls -la", previous command forked', medP95(afterFork), '', '', '', '']));

    const unguarded = Math.max(added['true'], added['ls -la'], added['echo hi']);
    const guardedWorst = Math.max(added['export AG_BENCH=1'], added['git status']);
    rows.push(row([`  target: guarded command adds < ${TARGET_GUARDED_MS} ms`, guardedWorst < TARGET_GUARDED_MS ? 'met' : 'MISSED', `worst +${guardedWorst.toFixed(2)} ms`, '', '', '']));
    rows.push(row([`  target: unguarded adds ~0 (< ${TARGET_UNGUARDED_MS} ms)`, unguarded < TARGET_UNGUARDED_MS ? 'met' : 'MISSED', `worst +${unguarded.toFixed(2)} ms`, '', '', '']));
    return rows;
  } finally {
    await Promise.all(shells.map((s) => s.close()));
    server?.close();
    rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchGate().then((rows) => console.log(rows.join('\n')));
}
