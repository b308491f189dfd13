// Whether each agent on this machine is protected right now: its hook installed, its command there and answering,
// trusted (Codex), not switched off by user or project settings, and when it last asked. `agent-guard doctor` prints
// it; the editor shows the same. Nothing fails silently: a hook that is present but cannot run is "not protected".

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { AuditLog } from '../core/audit/log';
import { hookFilePath, ourCommands } from '../core/agents/hookConfig';
import { envOffSwitches, hookOffSwitches } from '../core/agents/hookLoosening';
import { dotenvEntries } from '../core/agents/protectedFiles';
import { AGENT_IDS, AGENT_NAMES, type AgentId } from '../core/agents/ids';
import { hookFailureLog } from '../core/agents/launcher';
import { auditLogPath } from '../core/paths';
import { codexHome, findCodex, listCodexHooks, ourCodexHooks, type CodexHook } from './codexTrust';
import { ask, gateFromEnv, type GateAddress } from './client';
import { findWindow, registryDir } from './registry';
import { formatTerminals, type TerminalReport } from './shells';

export interface AgentStatus {
  agent: AgentId;
  name: string;
  /** The agent looks installed (its program on PATH or its settings folder in the home folder). */
  found: boolean;
  protected: boolean;
  /** One line per finding, good and bad, in the order a person checks them. */
  findings: { ok: boolean; text: string }[];
  lastCall?: string;
}

export interface DoctorOptions {
  home: string;
  env: NodeJS.ProcessEnv;
  stateDir: string;
  /** The project folder whose own settings could switch hooks off (default: the current folder). */
  cwd: string;
  /** Runs the hook once with a harmless call (default on). */
  probe?: boolean;
  /** Default: this machine's. */
  platform?: NodeJS.Platform;
}

const PROGRAMS: Record<AgentId, string[]> = { claude: ['claude'], gemini: ['gemini'], codex: ['codex'], copilot: ['copilot', 'code'], cursor: ['cursor', 'cursor-agent'], qwen: ['qwen'] };
const HOME_DIRS: Record<AgentId, string> = { claude: '.claude', gemini: '.gemini', codex: '.codex', copilot: '.copilot', cursor: '.cursor', qwen: '.qwen' };
/** Project files each agent reads that can switch user-level hooks off. */
const PROJECT_SWITCHES: Record<AgentId, string[]> = {
  claude: ['.claude/settings.json', '.claude/settings.local.json'],
  copilot: ['.claude/settings.json', '.claude/settings.local.json'],
  gemini: ['.gemini/settings.json'],
  qwen: ['.qwen/settings.json'],
  codex: [],
  cursor: [],
};
/** A harmless call in each agent's shape: the hook must answer it at once without refusing. */
const PROBES: Record<AgentId, object> = {
  claude: { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'true' } },
  codex: { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'true' } },
  copilot: { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'true' } },
  gemini: { hook_event_name: 'BeforeTool', tool_name: 'run_shell_command', tool_input: { command: 'true' } },
  qwen: { hook_event_name: 'PreToolUse', tool_name: 'run_shell_command', tool_input: { command: 'true' } },
  cursor: { hook_event_name: 'beforeShellExecution', command: 'true', cwd: '/', workspace_roots: [] },
};

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, program)));
}

/** The program a hook command starts: its first word, unquoted (after `VAR=value` words); on Windows the launcher cmd.exe starts. */
export function commandProgram(command: string): string | undefined {
  const windows = /^\S*cmd\.exe \/d \/c "([^"]+)"/i.exec(command);
  if (windows) return windows[1];
  const words = command.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\S+/g) ?? [];
  const first = words.find((w) => !/^[A-Z_]+=/.test(w));
  return first?.replace(/^["']|["']$/g, '').replace(/\\(.)/g, '$1');
}

function probe(agent: AgentId, command: string, env: NodeJS.ProcessEnv, cwd: string, platform: NodeJS.Platform): { ok: boolean; text: string } {
  // As VS Code runs a hook's `command` on Windows: through cmd.exe.
  const r = platform === 'win32' ? spawnSync(command, { shell: true, input: JSON.stringify({ ...PROBES[agent], cwd }), cwd, encoding: 'utf8', timeout: 15_000, env, windowsHide: true }) : spawnSync('/bin/sh', ['-c', command], { input: JSON.stringify({ ...PROBES[agent], cwd }), cwd, encoding: 'utf8', timeout: 15_000, env });
  if (r.error) return { ok: false, text: `the hook could not be run: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, text: `the hook failed a harmless test call (exit ${r.status}): ${(r.stdout + r.stderr).trim().slice(0, 200)}` };
  const out = r.stdout.trim();
  if (out && /"deny"/.test(out)) return { ok: false, text: `the hook refused a harmless test call: ${out.slice(0, 200)}` };
  return { ok: true, text: 'the hook answers a harmless test call' };
}

/** Codex's answers, kept while its hook file and config are unchanged (the editor asks every minute). */
const codexAnswers = new Map<string, Promise<CodexHook[]>>();

/**
 * Whether Codex itself trusts the hook, from Codex (`codex app-server` hooks/list): `codex exec` silently skips an
 * untrusted or modified one. Without codex on PATH only the trust record can be read, which cannot tell a stale one.
 */
async function codexTrust(home: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ ok: boolean; text: string }> {
  const dir = codexHome(home, env);
  const codex = findCodex(env);
  const fix = 'run agent-guard install-hooks codex, or trust the hook in Codex (/hooks)';
  if (!codex) {
    const config = read(join(dir, 'config.toml')) ?? '';
    const hooks = join(dir, 'hooks.json');
    const recorded = config.split('\n').some((l) => l.includes('[hooks.state.') && l.includes(hooks) && /pre_tool_use/.test(l));
    return recorded
      ? { ok: true, text: 'Codex has a trust record for the hook (codex is not on PATH to confirm it is current)' }
      : { ok: false, text: `Codex has not trusted the hook: codex exec skips it until it is trusted (${fix})` };
  }
  const stamp = (p: string) => {
    try {
      return String(statSync(p).mtimeMs);
    } catch {
      return '-';
    }
  };
  const key = [codex, cwd, stamp(join(dir, 'hooks.json')), stamp(join(dir, 'config.toml'))].join('|');
  let answer = codexAnswers.get(key);
  if (!answer) {
    codexAnswers.clear();
    answer = listCodexHooks(codex, env, cwd);
    codexAnswers.set(key, answer);
  }
  let ours: CodexHook[];
  try {
    ours = ourCodexHooks(await answer);
  } catch (e) {
    codexAnswers.delete(key);
    return { ok: false, text: `could not ask Codex whether it trusts the hook: ${(e as Error).message}` };
  }
  if (!ours.length) return { ok: false, text: 'Codex does not list the Agent Guard hook (its hooks.json may be unreadable to it)' };
  const bad = ours.filter((h) => !h.enabled || (h.trustStatus !== 'trusted' && h.trustStatus !== 'managed'));
  if (bad.length) return { ok: false, text: `Codex reports the hook ${bad.map((h) => (h.enabled ? h.trustStatus : 'disabled')).join(', ')}: codex exec skips it (${fix})` };
  return { ok: true, text: 'Codex trusts the hook (asked Codex)' };
}

/** Whether the agent looks installed here: its program on PATH or its settings folder in the home folder. */
export function agentFound(agent: AgentId, home: string, env: NodeJS.ProcessEnv): boolean {
  return PROGRAMS[agent].some((p) => onPath(p, env)) || existsSync(join(home, HOME_DIRS[agent]));
}

export async function doctor(o: DoctorOptions): Promise<AgentStatus[]> {
  const audit = new AuditLog(auditLogPath({ ...o.env, AGENT_GUARD_STATE_DIR: o.stateDir })).tail(2000);
  const platform = o.platform ?? process.platform;
  const failures = (read(hookFailureLog(o.stateDir, platform)) ?? '').trim().split(/\r?\n/).filter(Boolean);
  const out: AgentStatus[] = [];
  for (const agent of AGENT_IDS) {
    const findings: AgentStatus['findings'] = [];
    const found = agentFound(agent, o.home, o.env);
    const file = hookFilePath(agent, { kind: 'user', home: o.home, env: o.env });
    const text = read(file);
    const commands = ourCommands(agent, text);
    if (!commands.length) findings.push({ ok: false, text: `no Agent Guard hook in ${file} (agent-guard install-hooks ${agent})` });
    else {
      findings.push({ ok: true, text: `hook installed in ${file}` });
      const program = commandProgram(commands[0]);
      let runnable = false;
      try {
        // Windows has no execute bit: a .cmd file runs when it is there.
        runnable = !!program && existsSync(program) && (platform === 'win32' || (statSync(program).mode & 0o111) !== 0);
      } catch {
        runnable = false;
      }
      findings.push(runnable ? { ok: true, text: `its command exists: ${program}` } : { ok: false, text: `its command is missing or not executable: ${program ?? commands[0]}` });
      if (runnable && o.probe !== false) findings.push(probe(agent, commands[0], o.env, o.cwd, platform));
    }
    for (const w of hookOffSwitches(file, text)) findings.push({ ok: false, text: w });
    for (let dir = resolve(o.cwd), i = 0; i < 12; i++, dir = dirname(dir)) {
      for (const rel of PROJECT_SWITCHES[agent]) for (const w of hookOffSwitches(join(dir, rel), read(join(dir, rel)))) findings.push({ ok: false, text: w });
      if (dirname(dir) === dir) break;
    }
    // Variables that switch hooks off: in the environment this runs in, and (Qwen Code loads them) in .env files.
    const prefix = agent === 'claude' ? 'CLAUDE_' : agent === 'qwen' ? 'QWEN_' : undefined;
    if (prefix) findings.push(...envOffSwitches('the environment', Object.entries(o.env).filter(([k]) => k.startsWith(prefix)), true).map((text) => ({ ok: false, text })));
    if (agent === 'qwen') {
      const envFiles = [join(o.home, '.env'), join(o.env.QWEN_HOME || join(o.home, '.qwen'), '.env')];
      for (let dir = resolve(o.cwd), i = 0; i < 12; i++, dir = dirname(dir)) {
        envFiles.push(join(dir, '.env'), join(dir, '.qwen', '.env'));
        if (dirname(dir) === dir) break;
      }
      for (const f of [...new Set(envFiles)]) {
        const text = read(f);
        if (text !== null) findings.push(...envOffSwitches(f, dotenvEntries(text)).map((t) => ({ ok: false, text: t })));
      }
    }
    if (agent === 'codex' && commands.length) findings.push(await codexTrust(o.home, o.env, o.cwd));
    const failed = failures.filter((l) => l.split(' ')[1] === agent).slice(-1)[0];
    if (failed) findings.push({ ok: false, text: `the hook could not run at ${failed.split(' ')[0]}: ${failed.split(' ').slice(2).join(' ')}` });
    const last = audit.filter((e) => e.source === `hook:${agent}`).slice(-1)[0];
    out.push({ agent, name: AGENT_NAMES[agent], found, protected: findings.every((f) => f.ok), findings, ...(last ? { lastCall: last.time } : {}) });
  }
  return out;
}

export function formatDoctor(statuses: readonly AgentStatus[]): string {
  const lines: string[] = [];
  for (const s of statuses) {
    if (!s.found && !s.findings.some((f) => f.ok)) {
      lines.push(`- ${s.name}: not found on this machine`);
      continue;
    }
    lines.push(`${s.protected ? '✔' : '✖'} ${s.name}: ${s.protected ? 'protected' : 'NOT protected'}${s.lastCall ? ` (last call ${s.lastCall})` : ''}`);
    for (const f of s.findings) lines.push(`    ${f.ok ? '✓' : '✗'} ${f.text}`);
  }
  return lines.join('\n') + '\n';
}

export interface WindowTerminals {
  /** Which window answered, as a person reads it. */
  window: string;
  terminals: TerminalReport[];
  /** Set when the window could not be asked. */
  problem?: string;
}

/**
 * The terminals of the VS Code window this command runs in (from its terminal's environment) or whose workspace holds
 * cwd, each with whether its line gate is loaded, asked of that window's gate. Null when no such window runs.
 */
export async function windowTerminals(o: { env: NodeJS.ProcessEnv; stateDir: string; cwd: string; shellPid?: number; timeoutMs?: number }): Promise<WindowTerminals | null> {
  const fromEnv = gateFromEnv(o.env);
  const entry = findWindow(registryDir(o.stateDir), o.cwd);
  const gate: GateAddress | null = fromEnv ?? entry;
  if (!gate) return null;
  const window = fromEnv ? `the VS Code window of this terminal (port ${gate.port})` : `the VS Code window holding ${o.cwd} (port ${gate.port})`;
  const r = await ask(gate, { kind: 'ping', command: 'terminals', cwd: o.cwd, pid: process.pid }, { timeoutMs: o.timeoutMs ?? 3000 });
  if (r.verdict !== 'allow') return { window, terminals: [], problem: `could not ask it: ${r.message}` };
  let list: unknown;
  try {
    list = JSON.parse(r.message);
  } catch {
    // A window from before per-terminal status answers "pong".
    return { window, terminals: [], problem: 'it does not report its terminals (an older Agent Guard): update it' };
  }
  const terminals = (Array.isArray(list) ? list : []).filter((t): t is TerminalReport => !!t && typeof t === 'object' && typeof t.name === 'string' && typeof t.state === 'string');
  if (fromEnv && o.shellPid) for (const t of terminals) if (t.pid === o.shellPid) t.name += ' (this terminal)';
  return { window, terminals };
}

export function formatWindowTerminals(w: WindowTerminals | null): string {
  if (!w) return 'Terminals: no VS Code window with Agent Guard holds this folder, so no terminal has the line gate here.\n';
  if (w.problem) return `Terminals of ${w.window}: ${w.problem}\n`;
  return formatTerminals(w.window, w.terminals);
}
