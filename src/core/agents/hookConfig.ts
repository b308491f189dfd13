// Each agent's hook configuration: where it lives, the entry that runs Agent Guard, and pure edits of the file's text
// — merge ours in, take ours out, leave everything else as it was. The diff a person reads before anything is written
// is unifiedDiff.ts's; the checks that spot a change loosening protection are hookLoosening.ts's. No file I/O here:
// `agent-guard install-hooks` and the editor's "Connect agents…" command both feed it file contents.

import { join } from 'node:path';
import { isJsonObject, parseJsonc } from '../jsonc';
import type { AgentId } from './ids';
import { windowsHookCommand } from './launcherWindows';
export { parseJsonc };

/** The hook timeout written for every agent: long enough for a person to read the prompt and type a name. */
export const HOOK_TIMEOUT_SECONDS = 300;

interface AgentHookSpec {
  userPath(home: string, env: NodeJS.ProcessEnv): string;
  workspacePath(dir: string): string;
  /** The key under `hooks` that holds our entry. */
  event: string;
  /** Claude-style groups (`{matcher, hooks: [handler]}`) or a flat list of handlers. */
  grouped: boolean;
  /** `windows`: the command is the Windows one (launcherWindows.ts), for agents that run it through PowerShell there. */
  entry(command: string, windows?: boolean): Record<string, unknown>;
  /** Top-level keys a new file starts with. */
  skeleton: Record<string, unknown>;
  /** The file holds only our hooks: removed when nothing else is left in it. */
  dedicated: boolean;
  /** What the person must still do or know after the file is written. */
  notes: readonly string[];
}

// The tools each agent runs our hook for: its shell and file tools, and every MCP tool (judged by the shape of its
// input, src/cli/hooks/mcp.ts). Read from each CLI's shipped code: Claude Code and Codex compare a matcher of only
// letters, digits, `_` and `|` as exact names and anything else as an unanchored regular expression; Gemini CLI always
// as an unanchored regular expression; Qwen Code as a regular expression when it starts with `^` or `(`. MCP tools are
// named `mcp__server__tool` (Claude Code, Codex, Qwen Code) and `mcp_server_tool` (Gemini CLI).
export const CLAUDE_MATCHER = '^(Bash|PowerShell|Write|Edit|MultiEdit|NotebookEdit|mcp__.+)$';
export const CODEX_MATCHER = '^(Bash|apply_patch|mcp__.+)$';
export const GEMINI_MATCHER = '^(run_shell_command|write_file|replace|mcp_.+)$';
export const QWEN_MATCHER = '^(run_shell_command|monitor|write_file|edit|notebook_edit|mcp__.+)$';

export const HOOK_SPECS: Readonly<Record<AgentId, AgentHookSpec>> = {
  // One file read by VS Code (Local harness), the Copilot harness and the Copilot CLI. PascalCase PreToolUse gets the
  // snake_case payload everywhere; `timeoutSec` is read by all three; no matcher, so every tool reaches the adapter.
  copilot: {
    userPath: (home, env) => join(env.COPILOT_HOME || join(home, '.copilot'), 'hooks', 'agent-guard.json'),
    workspacePath: (dir) => join(dir, '.github', 'hooks', 'agent-guard.json'),
    event: 'PreToolUse',
    grouped: false,
    // On Windows the Copilot CLI runs the `powershell` key (VS Code's hooks run it too, else `command` through cmd.exe).
    entry: (command, windows) => ({ type: 'command', command, ...(windows ? { powershell: command } : {}), timeoutSec: HOOK_TIMEOUT_SECONDS }),
    skeleton: { version: 1 },
    dedicated: true,
    notes: ['VS Code also runs the hooks in ~/.claude/settings.json: with Claude Code connected too, a held command in Copilot Chat is asked about twice unless chat.hookFilesLocations has "~/.claude/settings.json": false.'],
  },
  claude: {
    userPath: (home, env) => join(env.CLAUDE_CONFIG_DIR || join(home, '.claude'), 'settings.json'),
    // settings.local.json: the hook command holds this machine's paths, which do not belong in a shared file.
    workspacePath: (dir) => join(dir, '.claude', 'settings.local.json'),
    event: 'PreToolUse',
    grouped: true,
    // On Windows Claude Code runs hooks through Git Bash unless told `"shell": "powershell"`; bash would eat the path's backslashes.
    entry: (command, windows) => ({ matcher: CLAUDE_MATCHER, hooks: [{ type: 'command', command, ...(windows ? { shell: 'powershell' } : {}), timeout: HOOK_TIMEOUT_SECONDS }] }),
    skeleton: {},
    dedicated: false,
    notes: ['Claude Code loads hooks when a session starts: restart running sessions (/hooks lists them).'],
  },
  // failClosed: Cursor otherwise lets a command run when the hook fails or times out.
  cursor: {
    userPath: (home) => join(home, '.cursor', 'hooks.json'),
    workspacePath: (dir) => join(dir, '.cursor', 'hooks.json'),
    event: 'beforeShellExecution',
    grouped: false,
    entry: (command) => ({ command, timeout: HOOK_TIMEOUT_SECONDS, failClosed: true }),
    skeleton: { version: 1 },
    dedicated: false,
    notes: ['Cursor reads hooks.json at start: restart Cursor.'],
  },
  codex: {
    userPath: (home, env) => join(env.CODEX_HOME || join(home, '.codex'), 'hooks.json'),
    workspacePath: (dir) => join(dir, '.codex', 'hooks.json'),
    event: 'PreToolUse',
    grouped: true,
    entry: (command) => ({ matcher: CODEX_MATCHER, hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS, statusMessage: 'Agent Guard' }] }),
    skeleton: {},
    dedicated: false,
    notes: ['Codex skips a new or changed hook until you trust it: run /hooks in Codex and approve the Agent Guard hook.'],
  },
  // Gemini's timeout is in milliseconds.
  gemini: {
    userPath: (home, env) => join(env.GEMINI_CLI_HOME || home, '.gemini', 'settings.json'),
    workspacePath: (dir) => join(dir, '.gemini', 'settings.json'),
    event: 'BeforeTool',
    grouped: true,
    entry: (command) => ({ matcher: GEMINI_MATCHER, hooks: [{ name: 'agent-guard', type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS * 1000 }] }),
    skeleton: {},
    dedicated: false,
    notes: ['Gemini CLI runs hooks by default (0.61); a "hooksConfig.enabled": false or "hooksConfig.disabled" entry in its user or project settings turns ours off, and Agent Guard warns and holds such edits. Gemini has no hook answer that skips its own confirmation: after you approve in VS Code, Gemini may still ask.'],
  },
  // Qwen Code (a Gemini CLI fork) reads Claude-style PreToolUse groups (a matcher starting with `(` or `^` is a regular
  // expression), and a command hook's timeout is in seconds (below 1000). QWEN_HOME moves its user folder.
  qwen: {
    userPath: (home, env) => join(env.QWEN_HOME || join(home, '.qwen'), 'settings.json'),
    workspacePath: (dir) => join(dir, '.qwen', 'settings.json'),
    event: 'PreToolUse',
    grouped: true,
    entry: (command) => ({ matcher: QWEN_MATCHER, hooks: [{ name: 'agent-guard', type: 'command', command, timeout: HOOK_TIMEOUT_SECONDS }] }),
    skeleton: {},
    dedicated: false,
    notes: ['Qwen Code runs hooks in every approval mode, yolo included. "disableAllHooks": true in its user or project settings, --safe-mode / QWEN_CODE_SAFE_MODE and --bare / QWEN_CODE_SIMPLE turn every hook off: Agent Guard holds an agent writing them and agent-guard doctor reports them.'],
  },
};

/** For the command line: VS Code's setting is the editor command's to change. */
export const COPILOT_VSCODE_NOTE = 'VS Code runs the hooks in this folder when chat.hookFilesLocations has "~/.copilot/hooks": true ("Agent Guard: Connect agents…" in VS Code sets it); the Copilot CLI reads it as is.';

export type HookScope = { kind: 'user'; home: string; env?: NodeJS.ProcessEnv } | { kind: 'workspace'; dir: string };

export function hookFilePath(agent: AgentId, scope: HookScope): string {
  return scope.kind === 'user' ? HOOK_SPECS[agent].userPath(scope.home, scope.env ?? {}) : HOOK_SPECS[agent].workspacePath(scope.dir);
}

export interface HookProgram {
  /** The Node that runs the CLI (`process.execPath`). */
  node: string;
  /** The CLI bundle, dist/cli.js. */
  cli: string;
  /** The Node is VS Code's own Electron binary, which runs as Node only with ELECTRON_RUN_AS_NODE=1. */
  electron?: boolean;
  /** The stable launcher in Agent Guard's state folder (src/core/agents/launcher.ts): the hook runs it when set. */
  launcher?: string;
  /** On Windows: the launcher is a .cmd file, started through this cmd.exe (launcherWindows.ts). */
  windows?: { cmdExe: string };
}

function quoteForShell(p: string): string {
  return `"${p.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** The hook command: absolute paths, so it works without PATH changes. */
export function hookCommand(agent: AgentId, program: HookProgram): string {
  if (program.launcher && program.windows) return windowsHookCommand(agent, program.launcher, program.windows.cmdExe);
  if (program.launcher) return `${quoteForShell(program.launcher)} hook ${agent}`;
  return `${program.electron ? 'ELECTRON_RUN_AS_NODE=1 ' : ''}${quoteForShell(program.node)} ${quoteForShell(program.cli)} hook ${agent}`;
}

/** Whether a hook command is Agent Guard's (for any agent, or for this one): ours whatever path it was installed from. */
export function isOurCommand(command: unknown, agent?: AgentId): boolean {
  if (typeof command !== 'string' || !/cli\.js|agent-guard/.test(command)) return false;
  const m = /\shook\s+(copilot|claude|cursor|codex|gemini|qwen)(?:[\s;]|$)/.exec(command);
  return !!m && (!agent || m[1] === agent);
}

// ---- JSON text in and out ----

type Json = Record<string, unknown>;

/** Parses a hook file; refuses (with what to do) anything it could not write back without losing something. */
function readConfig(path: string, before: string | null): { config: Json } | { problem: string } {
  if (before === null || !before.trim()) return { config: {} };
  let v: unknown;
  try {
    v = JSON.parse(before.replace(/^\uFEFF/, ''));
  } catch (e) {
    return {
      problem:
        parseJsonc(before) !== undefined
          ? `${path} has comments or trailing commas, which rewriting it would lose; add the entry below by hand`
          : `${path} is not valid JSON (${(e as Error).message}); fix it and run this again`,
    };
  }
  if (!isJsonObject(v)) return { problem: `${path} does not hold a JSON object; fix it and run this again` };
  if (v.hooks !== undefined && !isJsonObject(v.hooks)) return { problem: `"hooks" in ${path} is not an object; fix it and run this again` };
  return { config: v };
}

function indentOf(text: string | null): string | number {
  const m = text ? /\n([ \t]+)\S/.exec(text) : null;
  return m ? m[1] : 2;
}

function serialize(v: Json, before: string | null): string {
  return JSON.stringify(v, null, indentOf(before)) + (before && !before.endsWith('\n') ? '' : '\n');
}

// ---- our entry, in and out ----

export interface HookEdit {
  agent: AgentId;
  path: string;
  before: string | null;
  /** null: the file is (or stays) absent. */
  after: string | null;
  changed: boolean;
  /** Set when the file cannot be edited safely; nothing is written. */
  problem?: string;
  /** The entry, for a person to add by hand when the file cannot be rewritten. */
  entry?: Record<string, unknown>;
}

function entryIsOurs(entry: unknown, agent: AgentId, grouped: boolean): boolean {
  if (!isJsonObject(entry)) return false;
  if (!grouped) return isOurCommand(entry.command, agent);
  return Array.isArray(entry.hooks) && entry.hooks.some((h) => isJsonObject(h) && isOurCommand(h.command, agent));
}

/** The list without our handlers; `at` is where the first of ours stood. */
function withoutOurs(list: readonly unknown[], agent: AgentId, grouped: boolean): { list: unknown[]; at: number } {
  const out: unknown[] = [];
  let at = -1;
  for (const entry of list) {
    if (!entryIsOurs(entry, agent, grouped)) {
      out.push(entry);
      continue;
    }
    if (at < 0) at = out.length;
    // A group holding someone else's handler next to ours keeps theirs.
    if (grouped && isJsonObject(entry) && Array.isArray(entry.hooks)) {
      const theirs = entry.hooks.filter((h) => !(isJsonObject(h) && isOurCommand(h.command, agent)));
      if (theirs.length) out.push({ ...entry, hooks: theirs });
    }
  }
  return { list: out, at };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Adds (or updates) our entry and keeps every other hook and setting. Running it twice changes nothing. */
export function planInstall(agent: AgentId, path: string, before: string | null, command: string, windows = false): HookEdit {
  const spec = HOOK_SPECS[agent];
  const entry = spec.entry(command, windows);
  const read = readConfig(path, before);
  if ('problem' in read) return { agent, path, before, after: before, changed: false, problem: read.problem, entry };
  const config = read.config;
  const hooks = isJsonObject(config.hooks) ? config.hooks : {};
  const current = hooks[spec.event];
  if (current !== undefined && !Array.isArray(current)) {
    return { agent, path, before, after: before, changed: false, problem: `"hooks.${spec.event}" in ${path} is not a list; fix it and run this again`, entry };
  }
  const list = current ?? [];
  const ours = list.filter((e) => entryIsOurs(e, agent, spec.grouped));
  if (ours.length === 1 && sameJson(ours[0], entry)) return { agent, path, before, after: before, changed: false };
  const { list: rest, at } = withoutOurs(list, agent, spec.grouped);
  rest.splice(at < 0 ? rest.length : at, 0, entry);
  const next: Json = before === null || !before.trim() ? { ...spec.skeleton, ...config } : { ...config };
  next.hooks = { ...hooks, [spec.event]: rest };
  const after = serialize(next, before);
  return { agent, path, before, after, changed: after !== before };
}

/** Takes out only our entry; a dedicated file left with nothing else in it is removed. */
export function planRemove(agent: AgentId, path: string, before: string | null): HookEdit {
  const spec = HOOK_SPECS[agent];
  if (before === null) return { agent, path, before, after: null, changed: false };
  const read = readConfig(path, before);
  if ('problem' in read) return { agent, path, before, after: before, changed: false, problem: read.problem };
  const config = read.config;
  const hooks = isJsonObject(config.hooks) ? config.hooks : undefined;
  const list = hooks?.[spec.event];
  if (!hooks || !Array.isArray(list) || !list.some((e) => entryIsOurs(e, agent, spec.grouped))) return { agent, path, before, after: before, changed: false };
  const nextHooks: Json = { ...hooks };
  const { list: rest } = withoutOurs(list, agent, spec.grouped);
  if (rest.length) nextHooks[spec.event] = rest;
  else delete nextHooks[spec.event];
  const next: Json = { ...config, hooks: nextHooks };
  if (!Object.keys(nextHooks).length) delete next.hooks;
  const leftover = Object.keys(next).filter((k) => !(k in spec.skeleton && sameJson(next[k], spec.skeleton[k])));
  const after = spec.dedicated && !leftover.length ? null : serialize(next, before);
  return { agent, path, before, after, changed: after !== before };
}

/** The entries of the agent's pre-tool hook list in a config file's text (none when absent or unreadable). */
function hookEntries(agent: AgentId, text: string | null): unknown[] {
  const root = text === null ? null : parseJsonc(text);
  const list = isJsonObject(root) && isJsonObject(root.hooks) ? root.hooks[HOOK_SPECS[agent].event] : undefined;
  return Array.isArray(list) ? list : [];
}

/** The commands of Agent Guard's entries for this agent in a hook file. */
export function ourCommands(agent: AgentId, text: string | null): string[] {
  const list = hookEntries(agent, text);
  const handlers = HOOK_SPECS[agent].grouped ? list.flatMap((e) => (isJsonObject(e) && Array.isArray(e.hooks) ? e.hooks : [])) : list;
  return handlers.map((h) => (isJsonObject(h) ? h.command : undefined)).filter((c): c is string => isOurCommand(c, agent));
}

/** Whether the file runs Agent Guard for this agent. */
export function isConnected(agent: AgentId, text: string | null): boolean {
  return hookEntries(agent, text).some((e) => entryIsOurs(e, agent, HOOK_SPECS[agent].grouped));
}
