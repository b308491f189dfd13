// Drives a real interactive shell on a pseudo-terminal (util-linux `script`), the way a person or an agent types.
import * as assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BASH_PROMPT_HOOK, bashLineFile, nativeShimFile, type InstallOptions, type ShellGate } from '../../src/gate/install';

const NATIVE_SHIM = nativeShimFile(join(__dirname, '..', '..', '..', 'dist'));
if (!NATIVE_SHIM && process.platform === 'linux') {
  const why = `dist/shim-linux-${process.arch} is missing: build it with node esbuild.mjs (it needs a C compiler)`;
  if (process.env.CI) throw new Error(why);
  console.warn(`shell tests: ${why}; the shims under test are shim.sh only`);
}
const BASH_LINE = bashLineFile(join(__dirname, '..', '..', '..', 'dist'));
if (!BASH_LINE && process.platform === 'linux' && process.arch === 'x64') {
  const why = 'dist/bash-line-linux-x64.so is missing: build it with node esbuild.mjs (it needs a C compiler)';
  if (process.env.CI) throw new Error(why);
  console.warn(`shell tests: ${why}; bash's Enter key under test is the shell function only`);
}
/** What the product installs on this system: the native shim and bash's Enter key on Linux, shim.sh elsewhere. */
export const SHIPPED_SHIM: InstallOptions = { nativeShim: NATIVE_SHIM, bashLine: BASH_LINE };
/**
 * For a `describe` about bash's Enter builtin: true where it was not built, after adding the one test that says
 * whether it should have been (x64 Linux); the suite then returns.
 */
export function bashLineMissing(): boolean {
  if (SHIPPED_SHIM.bashLine) return false;
  it('is built where it ships (x64 Linux)', function () {
    if (process.platform === 'linux' && process.arch === 'x64') assert.fail('dist/bash-line-linux-x64.so is missing: node esbuild.mjs builds it');
    this.skip();
  });
  return true;
}
/** The same without bash's Enter key: bash as on a system where the builtin does not load. */
export const WITHOUT_BASH_LINE: InstallOptions = { nativeShim: NATIVE_SHIM };
/** Both kinds of shim, for tests that must hold for each: the native one where it is built, and shim.sh. */
export const SHIM_KINDS: [string, InstallOptions][] = [...(NATIVE_SHIM ? [['native shim', { nativeShim: NATIVE_SHIM }] as [string, InstallOptions]] : []), ['shim.sh', {}]];
import type { ApprovalOutcome, ApprovalRequest } from '../../src/gate/service';

/** util-linux `script`, found on this process's PATH: a session's own PATH may hold nothing to run. */
const SCRIPT = spawnSync('sh', ['-c', 'command -v script'], { encoding: 'utf8' }).stdout.trim() || 'script';

export class ShellSession {
  private readonly child: ChildProcessWithoutNullStreams;
  output = '';
  /** Set when the shell (and the pty around it) has ended. */
  exited = false;

  constructor(shell: string[], env: NodeJS.ProcessEnv, cwd: string) {
    this.child = spawn(SCRIPT, ['-qfec', shell.join(' '), '/dev/null'], { env, cwd });
    this.child.stdout.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    this.child.stderr.on('data', (d: Buffer) => (this.output += d.toString('utf8')));
    this.child.on('close', () => (this.exited = true));
  }

  type(text: string | Buffer): void {
    this.child.stdin.write(text);
  }

  /** Runs a line and waits until `marker` is printed after it. */
  async run(line: string | Buffer, timeoutMs = 10000): Promise<string> {
    const marker = `__done_${Math.random().toString(36).slice(2)}`;
    const from = this.output.length;
    this.type(typeof line === 'string' ? `${line}\r` : Buffer.concat([line, Buffer.from('\r')]));
    this.type(`echo ${marker.slice(0, 6)}""${marker.slice(6)}\r`);
    await this.waitFor(() => this.output.indexOf(marker, from) >= 0, timeoutMs, `"${line}" to finish`);
    return this.output.slice(from);
  }

  async waitFor(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!ok()) {
      if (this.exited) throw new Error(`the shell ended while waiting for ${what}; output:\n${this.output.slice(-2000)}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${this.output.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('close', () => resolve());
      this.child.stdin.end('exit\r');
      setTimeout(() => this.child.kill('SIGKILL'), 3000).unref();
    });
  }
}

/** Where a gated terminal's gate is and how it answers: what the editor puts in the terminal's environment. */
export interface GatedTerminal {
  gate: ShellGate;
  home: string;
  port: number;
  token: string;
  tier: string;
  unreachable: 'hold' | 'warn';
}

/** The environment of a terminal the gate guards (as the editor sets it), plus `extra`. */
export function gatedTerminalEnv(t: GatedTerminal, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${t.gate.binDir}:${process.env.PATH}`,
    HOME: t.home,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    INPUTRC: '/dev/null',
    AGENT_GUARD_PORT: String(t.port),
    AGENT_GUARD_TOKEN: t.token,
    AGENT_GUARD_DIR: t.gate.dir,
    AGENT_GUARD_TIER: t.tier,
    AGENT_GUARD_UNREACHABLE: t.unreachable,
    BASH_ENV: t.gate.bashEnv,
    ...extra,
  };
}

/**
 * VS Code's own bash shell integration script, from the VS Code the integration tests provision (test/harness), or
 * undefined. A terminal in VS Code loads it (a DEBUG trap and prompt functions), and the gate runs beside it there.
 */
export function vscodeBashIntegration(): string | undefined {
  const hosts = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'agent-guard', 'vscode-host');
  if (!existsSync(hosts)) return undefined;
  for (const host of readdirSync(hosts).sort().reverse()) {
    const script = join(hosts, host, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'vs', 'workbench', 'contrib', 'terminal', 'common', 'scripts', 'shellIntegration-bash.sh');
    if (existsSync(script)) return script;
  }
  return undefined;
}

export type GatedShell = 'bash' | 'zsh';

/** An interactive bash or zsh with the gate's line hook, arriving as the editor's terminals give it: through
 * PROMPT_COMMAND (bash) or ZDOTDIR (zsh). */
export function startGatedShell(shell: GatedShell, gate: ShellGate, env: NodeJS.ProcessEnv, cwd: string): ShellSession {
  return shell === 'bash'
    ? new ShellSession(['bash', '--norc', '--noprofile', '-i'], { ...env, PS1: '$ ', PROMPT_COMMAND: BASH_PROMPT_HOOK }, cwd)
    : new ShellSession(['zsh', '-i'], { ...env, ZDOTDIR: gate.zdotdir, PS1: '%% ' }, cwd);
}

/** Plays the person: each approval takes the next typed answer and compares it, as the editor's input box does. */
export class TypedAnswers {
  readonly asked: ApprovalRequest[] = [];
  readonly refusals: ApprovalRequest[] = [];
  answers: string[] = [];
  approve(req: ApprovalRequest): Promise<ApprovalOutcome> {
    this.asked.push(req);
    const typed = this.answers.shift();
    if (typed === undefined) return Promise.resolve({ approved: false, how: 'dismissed' });
    return Promise.resolve(typed === req.expected ? { approved: true, by: 'tester' } : { approved: false, how: 'wrong-name' });
  }
  refused(req: ApprovalRequest): void {
    this.refusals.push(req);
  }
}

/**
 * A folder for LOCPATH holding zh_TW.BIG5 (built by localedef under dir), or undefined where it cannot be built (CI
 * installs Debian's locales, so there it must be built). BIG5 has characters whose second byte is ASCII.
 */
export function big5Locales(dir: string): string | undefined {
  const locales = join(dir, 'locales');
  mkdirSync(locales, { recursive: true });
  const made = existsSync(join(locales, 'zh_TW.BIG5')) || spawnSync('localedef', ['-i', 'zh_TW', '-f', 'BIG5', join(locales, 'zh_TW.BIG5')]).status === 0;
  if (!made && process.env.CI) throw new Error("localedef could not build zh_TW.BIG5: install Debian's locales (node test/harness/provision.mjs)");
  return made ? locales : undefined;
}
