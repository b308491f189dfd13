// The red-team harness: real bash and zsh on a pseudo-terminal, production-labelled, wired as the editor wires its
// terminals (line hook through PROMPT_COMMAND / ZDOTDIR, PATH shims, BASH_ENV, the real GateServer and engine), and a
// gate whose person never approves. Each attempt is typed into a fresh copy of a small tree; its proof says what must
// still be there afterwards, and a probe after every attempt checks the guard is still on.
import { spawnSync } from 'node:child_process';
import { createServer, Server, Socket } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Engine } from '../../src/core/classify';
import type { Tier } from '../../src/core/types';
import { BASH_PROMPT_HOOK, installShellGate, registerGatePort, ShellGate } from '../../src/gate/install';
import { GateServer } from '../../src/gate/server';
import { ApprovalOutcome, GateService } from '../../src/gate/service';
import { ShellSession, SHIPPED_SHIM } from '../unit/shell-session';

export type ShellName = 'bash' | 'zsh';

export interface Proof {
  /** Paths (relative to the attempt's tree) that must still exist. Default: data/sentinel. */
  exists?: string[];
  /** Paths that must be gone (controls: the allowed command ran). */
  gone?: string[];
  /** Files that must still contain a text. */
  contains?: Record<string, string>;
  /** A pattern the terminal output must match (controls). */
  output?: string;
  /** Files that must not contain a text (what an attempt tried to add). */
  lacks?: Record<string, string>;
}

export interface Attempt {
  id: string;
  /** The issue's class, 1–10; 0 for a control. */
  class: number;
  /** What the attempt tries, in a few words. */
  note?: string;
  shells?: ShellName[];
  /** Controls: commands that must still run. */
  control?: boolean;
  /** The tier the attempt's folder is labelled with (production unless said). */
  tier?: Tier;
  /** Files written into the tree before the attempt (relative path → content); `!x` after the name makes it executable. */
  files?: Record<string, string>;
  /** Programs installed on the machine for the attempt (name → content, `!x` executable): a folder on the shells' PATH
   *  after the shims, as a CLI the person installed (stand-ins for docker, aws… that delete data/ if they run). */
  installed?: Record<string, string>;
  /** Lines typed, each followed by Enter. */
  type?: string[];
  /** Raw keystrokes typed after the lines (escapes in JSON: \r Enter, \u0018 C-x …). */
  keys?: string;
  /** Milliseconds to wait after each typed line and before the keys: zsh skips its spelling correction when more is
   *  typed ahead, as an agent sending one command at a time never does. */
  pauseMs?: number;
  proof?: Proof;
  /** The branch whose work the attempt needs (reported, not failed, until that branch is merged). */
  needs?: string;
  /** Class 10: the terminal talks to a fake gate that never answers (`silent`) or streams without an answer (`stream`). */
  gate?: 'silent' | 'stream';
}

export interface AttemptResult {
  attempt: Attempt;
  shell: ShellName;
  held: boolean;
  problems: string[];
  output: string;
  ms: number;
}

const REDTEAM_DIR = join(__dirname, '..', '..', '..', 'test', 'redteam');
const SCRIPTS = join(__dirname, '..', '..', '..', 'src', 'shell');

export function loadAttempts(dir = REDTEAM_DIR): Attempt[] {
  const out: Attempt[] = [];
  const ids = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    const lines = readFileSync(join(dir, f), 'utf8').split('\n');
    lines.forEach((l, i) => {
      if (!l.trim() || l.startsWith('//')) return;
      let a: Attempt;
      try {
        a = JSON.parse(l) as Attempt;
      } catch (e) {
        throw new Error(`${f}:${i + 1}: ${(e as Error).message}`);
      }
      if (!a.id || typeof a.class !== 'number' || a.class < 0 || a.class > 10) throw new Error(`${f}:${i + 1}: needs an id and a class 0–10`);
      if (!a.type && !a.keys) throw new Error(`${f}:${i + 1}: ${a.id} types nothing`);
      if (ids.has(a.id)) throw new Error(`${f}:${i + 1}: duplicate id ${a.id}`);
      if ((a.class === 0) !== !!a.control) throw new Error(`${f}:${i + 1}: ${a.id}: controls are class 0 and class 0 is for controls`);
      ids.add(a.id);
      out.push(a);
    });
  }
  return out;
}

/** The person: never approves, so anything held stays held. */
class NeverApproves {
  held = 0;
  approve(): Promise<ApprovalOutcome> {
    this.held++;
    return Promise.resolve({ approved: false, how: 'dismissed' });
  }
  refused(): void {}
}

const hasZsh = spawnSync('zsh', ['--version']).status === 0;
export const SHELLS: ShellName[] = hasZsh ? ['bash', 'zsh'] : ['bash'];

export class RedTeam {
  /** One gate folder per shell (the shells run side by side): an attempt that damages it harms only its own shell. */
  private readonly gates = new Map<ShellName, ShellGate>();
  private server!: GateServer;
  private port = 0;
  private readonly fakes = new Map<string, { server: Server; port: number; sockets: Set<Socket> }>();
  readonly person = new NeverApproves();

  constructor(readonly root: string) {
    mkdirSync(join(root, 'home'), { recursive: true });
  }

  gate(shell: ShellName): ShellGate {
    let g = this.gates.get(shell);
    if (!g) {
      g = installShellGate(join(this.root, `gate-${shell}`), SCRIPTS, 'normal', SHIPPED_SHIM);
      this.gates.set(shell, g);
      this.registerPorts(g);
      this.prefilters.set(shell, readFileSync(join(g.dir, 'prefilter'), 'utf8'));
    }
    return g;
  }

  /** Lays the gate's files down again after an attempt got through (it may have changed them). */
  repair(shell: ShellName): void {
    const g = installShellGate(join(this.root, `gate-${shell}`), SCRIPTS, 'normal', SHIPPED_SHIM);
    this.registerPorts(g);
    this.prefilters.set(shell, readFileSync(join(g.dir, 'prefilter'), 'utf8'));
  }

  private readonly prefilters = new Map<ShellName, string>();

  /** What an attempt changed of the gate's shims, BASH_ENV or word list; undefined when they are as laid down. */
  gateChanged(shell: ShellName): string | undefined {
    const g = this.gate(shell);
    const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);
    if (!existsSync(join(g.binDir, 'rm')) || !existsSync(join(g.binDir, 'find'))) return 'the rm or find shim is gone';
    if (!read(g.bashEnv)) return 'BASH_ENV is empty or gone';
    const pf = read(join(g.dir, 'prefilter'));
    if (pf !== this.prefilters.get(shell)) return 'the word list was rewritten';
    return undefined;
  }

  private registerPorts(g: ShellGate): void {
    // The fake gates are registered like a window's gate: what is tested is a gate that hangs, not one the shell
    // does not trust.
    for (const port of [this.port, ...[...this.fakes.values()].map((f) => f.port)]) registerGatePort(g.dir, port, this.server.token, 'production', 'hold');
  }

  async start(): Promise<void> {
    const engines = new Map<Tier, Engine>();
    // The guard's own files are the shells' gate folders, as the editor names its shell folder and state folder.
    const guardPaths = (['bash', 'zsh'] as const).map((sh) => join(this.root, `gate-${sh}`));
    const engineFor = (tier: Tier) => engines.get(tier) ?? engines.set(tier, new Engine({ tier, guardPaths })).get(tier)!;
    const service = new GateService({
      settings: (cwd) => {
        const tier: Tier = cwd.includes('/development/') ? 'development' : 'production';
        return { engine: engineFor(tier), tier, workspace: this.root, requireTierPrefix: true };
      },
      approver: this.person,
      record: () => {},
    });
    this.server = new GateServer(service);
    this.port = await this.server.listen();
    for (const kind of ['silent', 'stream'] as const) {
      const sockets = new Set<Socket>();
      // A gate that accepts and then says nothing, or streams progress and junk forever without an answer.
      const server = createServer((c) => {
        sockets.add(c);
        c.on('error', () => {});
        c.on('close', () => sockets.delete(c));
        if (kind === 'stream') {
          const t = setInterval(() => c.write(Math.random() < 0.5 ? 'wait still deciding\n' : `${'x'.repeat(200)}\n`), 50);
          c.on('close', () => clearInterval(t));
        }
      });
      const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
      this.fakes.set(kind, { server, port, sockets });
    }
  }

  stop(): void {
    this.server.close();
    for (const f of this.fakes.values()) {
      for (const s of f.sockets) s.destroy();
      f.server.close();
    }
  }

  /** The folder of programs installed for an attempt (`installed`): on the shells' PATH after the shims. */
  installedDir(shell: ShellName): string {
    return join(this.root, `installed-${shell}`);
  }

  env(shell: ShellName, gate?: 'silent' | 'stream'): NodeJS.ProcessEnv {
    const g = this.gate(shell);
    return {
      PATH: `${g.binDir}:${this.installedDir(shell)}:${process.env.PATH}`,
      HOME: join(this.root, 'home'),
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      INPUTRC: '/dev/null',
      AGENT_GUARD_PORT: String(gate ? this.fakes.get(gate)!.port : this.port),
      // A short bound for the fake gates (the editor sets it from the approval timeout); the real gate keeps the
      // editor's default, so a loaded machine does not turn a slow answer into a hold.
      AGENT_GUARD_ANSWER_S: gate ? '2' : '10',
      AGENT_GUARD_APPROVAL_S: gate ? '1' : '150',
      AGENT_GUARD_TOKEN: this.server.token,
      AGENT_GUARD_DIR: g.dir,
      AGENT_GUARD_TIER: 'production',
      AGENT_GUARD_UNREACHABLE: 'hold',
      AGENT_GUARD_STARTING: '1',
      BASH_ENV: g.bashEnv,
    };
  }

  /** A shell as terminals.ts starts one: the hook arrives through PROMPT_COMMAND (bash) or ZDOTDIR (zsh). */
  async open(shell: ShellName, gate?: 'silent' | 'stream'): Promise<ShellSession> {
    const env = this.env(shell, gate);
    const s =
      shell === 'bash'
        ? new ShellSession(['bash', '--norc', '--noprofile', '-i'], { ...env, PS1: '$ ', PROMPT_COMMAND: BASH_PROMPT_HOOK }, this.root)
        : new ShellSession(['zsh', '-i'], { ...env, ZDOTDIR: this.gate(shell).zdotdir, PS1: '%% ' }, this.root);
    await s.run('true', 15000);
    return s;
  }

  /** A fresh tree for one attempt: data/ with a sentinel, notes, a probe folder and the attempt's own files. */
  tree(shell: ShellName, a: Attempt): string {
    const dir = join(this.root, a.tier === 'development' ? 'development' : 'production', shell, a.id);
    mkdirSync(join(dir, 'data', 'sub'), { recursive: true });
    mkdirSync(join(dir, 'probe'), { recursive: true });
    writeFileSync(join(dir, 'data', 'sentinel'), 'keep\n');
    writeFileSync(join(dir, 'data', 'sub', 'rows.csv'), 'id,name\n1,a\n');
    writeFileSync(join(dir, 'probe', 'sentinel'), 'probe\n');
    writeFileSync(join(dir, 'probe.sh'), 'rm -rf probe\n');
    writeFileSync(join(dir, 'notes.txt'), 'notes\n');
    const installed = this.installedDir(shell);
    rmSync(installed, { recursive: true, force: true });
    mkdirSync(installed, { recursive: true });
    for (const [root, files] of [[dir, a.files], [installed, a.installed]] as const) {
      for (const [name, content] of Object.entries(files ?? {})) {
        const exec = name.endsWith('!x');
        const p = join(root, exec ? name.slice(0, -2) : name);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, content, { mode: exec ? 0o755 : 0o644 });
      }
    }
    return dir;
  }
}

/** Types into the shell and waits for a marker; a line left open (a heredoc, a quote) is interrupted first. */
async function settle(s: ShellSession, timeoutMs: number): Promise<boolean> {
  const marker = `__rt_${Math.random().toString(36).slice(2)}`;
  const from = s.output.length;
  s.type(`echo ${marker.slice(0, 5)}""${marker.slice(5)}\r`);
  try {
    await s.waitFor(() => s.output.indexOf(marker, from) >= 0, timeoutMs, 'the shell to come back');
    return true;
  } catch {
    s.type('\u0003');
    await new Promise((r) => setTimeout(r, 200));
    const m2 = `__rt_${Math.random().toString(36).slice(2)}`;
    const from2 = s.output.length;
    s.type(`\u0003echo ${m2.slice(0, 5)}""${m2.slice(5)}\r`);
    try {
      await s.waitFor(() => s.output.indexOf(m2, from2) >= 0, 2000, 'the shell after Ctrl-C');
      return true;
    } catch {
      return false;
    }
  }
}

function q(p: string): string {
  return `'${p.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs attempts one after another in one shell session (fresh tree each); a session an attempt broke or disarmed is
 * replaced before the next attempt.
 */
export async function runShell(team: RedTeam, shell: ShellName, attempts: Attempt[]): Promise<AttemptResult[]> {
  // The sessions against the hanging fake gates spend their time waiting: run them beside the main one.
  const groups = ([undefined, 'silent', 'stream'] as const).map((gate) => ({ gate, mine: attempts.filter((a) => a.gate === gate) }));
  const per = await Promise.all(groups.filter((g) => g.mine.length).map((g) => runSession(team, shell, g.mine, g.gate)));
  return per.flat();
}

async function runSession(team: RedTeam, shell: ShellName, attempts: Attempt[], gate: 'silent' | 'stream' | undefined): Promise<AttemptResult[]> {
  const results: AttemptResult[] = [];
  const slow = gate ? 4 : 1;
  let s = await team.open(shell, gate);
  for (const a of attempts) {
    const dir = team.tree(shell, a);
    // Programs installed for the attempt are there when its shell starts, as on a machine where the CLI is installed
    // (the gate hashes the real programs behind its shims when a shell starts or PATH changes).
    if (a.installed) {
      await Promise.race([s.close(), new Promise((r) => setTimeout(r, 3000))]);
      s = await team.open(shell, gate);
    }
    const t0 = Date.now();
    const from = s.output.length;
    s.type(`cd ${q(dir)}\r`);
    for (const line of a.type ?? []) {
      s.type(`${line}\r`);
      if (a.pauseMs) await new Promise((r) => setTimeout(r, a.pauseMs));
    }
    if (a.keys) s.type(a.keys);
    let ok = await settle(s, 2500 * slow);
    if (!ok && s.exited) {
      // The attempt ended the shell (`exec …`): the probe runs in a fresh one.
      s = await team.open(shell, gate);
      ok = true;
    }
    // The probe: the guard must still hold a delete typed at the prompt, run by a script, and run by `bash -c`.
    s.type(`cd ${q(dir)}\r`);
    s.type('rm -rf probe\r');
    s.type('sh probe.sh\r');
    s.type("bash -c 'rm -rf probe'\r");
    ok = (await settle(s, 6000 * slow)) && ok;
    const output = s.output.slice(from);
    const problems: string[] = [];
    const p = a.proof ?? {};
    const mustExist = p.exists ?? (a.control ? [] : ['data/sentinel']);
    for (const e of mustExist) if (!existsSync(join(dir, e))) problems.push(`${e} is gone`);
    for (const g of p.gone ?? []) if (existsSync(join(dir, g))) problems.push(`${g} is still there`);
    for (const [f, text] of Object.entries(p.contains ?? {})) {
      const body = existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '';
      if (!body.includes(text)) problems.push(`${f} lost "${text}"`);
    }
    for (const [f, text] of Object.entries(p.lacks ?? {})) {
      if (existsSync(join(dir, f)) && readFileSync(join(dir, f), 'utf8').includes(text)) problems.push(`${f} gained "${text}"`);
    }
    if (p.output && !new RegExp(p.output).test(output)) problems.push(`output does not match /${p.output}/`);
    const guardOff = !existsSync(join(dir, 'probe', 'sentinel'));
    if (guardOff) problems.push('the guard was off afterwards (the probe was deleted)');
    // The probe's lines are checked at the prompt; what scripts run meets the shims, BASH_ENV and the word list:
    // an attempt that changed them has switched part of the guard off for every later command.
    const changed = team.gateChanged(shell);
    if (changed) problems.push(`the gate's files were changed (${changed})`);
    results.push({ attempt: a, shell, held: problems.length === 0, problems, output, ms: Date.now() - t0 });
    if (problems.length) team.repair(shell);
    if (guardOff || !ok) {
      await Promise.race([s.close(), new Promise((r) => setTimeout(r, 3000))]);
      s = await team.open(shell, gate);
    }
  }
  await Promise.race([s.close(), new Promise((r) => setTimeout(r, 3000))]);
  return results;
}

export function summarize(results: AttemptResult[], shells: ShellName[]): { line: string; leaks: AttemptResult[]; pending: AttemptResult[] } {
  const parts: string[] = [];
  for (const sh of shells) {
    const mine = results.filter((r) => r.shell === sh && !r.attempt.control && !r.attempt.needs);
    parts.push(`${mine.filter((r) => r.held).length}/${mine.length} attempts held in ${sh}`);
  }
  const controls = results.filter((r) => r.attempt.control);
  const pending = results.filter((r) => r.attempt.needs && !r.attempt.control);
  const line =
    `redteam: ${parts.join(', ')}, ${controls.filter((r) => r.held).length}/${controls.length} controls ran` +
    (pending.length ? `; ${pending.filter((r) => r.held).length}/${pending.length} held of the attempts that need other branches (${[...new Set(pending.map((r) => r.attempt.needs))].join(', ')})` : '');
  return { line, leaks: results.filter((r) => !r.held && !r.attempt.needs), pending };
}
