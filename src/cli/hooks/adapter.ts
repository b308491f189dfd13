// What every agent adapter provides, and what they share: reading fields from an agent's JSON, and turning a file
// tool's effect (a delete, a file emptied or replaced) into the shell command the engine judges.

import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { AgentId } from '../../core/agents/ids';
import { shellKindOf, ShellKind } from '../../core/parse/dialect';
import { changesProtection, patchLinesTouchProtection, protectedFile } from '../../core/agents/protectedFiles';
import { parsePatch } from './patch';
import { isWithin } from '../../core/paths';
import { shellQuote } from '../../core/parse/shellQuote';
export { isWithin };

export { AGENT_IDS, AGENT_NAMES, isAgentId, type AgentId } from '../../core/agents/ids';

export type Payload = Record<string, unknown>;

/** One tool call, reduced to what the engine judges. */
export interface ToolCall {
  tool: string;
  /** The shell command, or the shell equivalent of a file tool's effect (`rm -f -- path`). */
  command: string;
  cwd: string;
  /** The agent's stated reason, when its tool carries one. */
  why?: string;
  sessionId?: string;
  /** For file tools: what the call would do, in words; `command` is only its shell equivalent. */
  effect?: string;
  /** The language of `command` when the tool or payload says (a `powershell` tool); bash otherwise. */
  shell?: ShellKind;
}

export type Extraction =
  /** A tool the guard has no opinion on (reads, searches, ordinary edits). */
  | { kind: 'ignore' }
  | { kind: 'call'; call: ToolCall }
  /** Refused whatever the engine says (an agent driving Agent Guard's own commands). */
  | { kind: 'refuse'; reason: string; call: ToolCall }
  | { kind: 'malformed'; why: string };

/** What the hook tells the agent. `no-opinion` leaves the agent's own approval rules in charge. */
export type Verdict = { kind: 'no-opinion' } | { kind: 'allow'; reason: string } | { kind: 'deny'; reason: string };

export interface HookAnswer {
  stdout: string;
  exitCode: number;
}

/** What an adapter may look at besides the payload: files (does the target exist, what is in it). */
export interface FileView {
  size(path: string): number | null;
  /** The text of a file up to max bytes; null when missing, larger, or unreadable. */
  read(path: string, max: number): string | null;
}

export interface ExtractContext {
  env: NodeJS.ProcessEnv;
  /** The hook's own working directory, for payloads that name none. */
  cwd: string;
  files: FileView;
}

export interface Adapter {
  readonly id: AgentId;
  extract(payload: Payload, ctx: ExtractContext): Extraction;
  answer(verdict: Verdict): HookAnswer;
}

export const diskFiles: FileView = {
  size(path) {
    try {
      const s = statSync(path);
      return s.isFile() ? s.size : null;
    } catch {
      return null;
    }
  },
  read(path, max) {
    let fd: number | undefined;
    try {
      const s = statSync(path);
      if (!s.isFile() || s.size > max) return null;
      fd = openSync(path, 'r');
      const buf = Buffer.alloc(s.size);
      const n = readSync(fd, buf, 0, s.size, 0);
      return buf.subarray(0, n).toString('utf8');
    } catch {
      return null;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },
};

// ---- reading the agents' JSON ----

/** The first of keys whose value is a non-empty string. */
export function str(o: unknown, ...keys: string[]): string | undefined {
  if (!o || typeof o !== 'object') return undefined;
  for (const k of keys) {
    const v = (o as Payload)[k];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** Like str, but an empty string counts (a Write with empty content). */
export function text(o: unknown, ...keys: string[]): string | undefined {
  if (!o || typeof o !== 'object') return undefined;
  for (const k of keys) {
    const v = (o as Payload)[k];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

export function obj(o: unknown, key: string): Payload | undefined {
  if (!o || typeof o !== 'object') return undefined;
  const v = (o as Payload)[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Payload) : undefined;
}

/** A tool input that may arrive as an object or as a JSON string (Copilot CLI's camelCase `toolArgs`). */
export function toolInput(v: unknown): Payload | 'malformed' {
  if (v === undefined || v === null) return {};
  if (typeof v === 'string') {
    // Copilot CLI with GPT models: apply_patch as `Edit` whose input is the raw patch text.
    if (/^\s*\*\*\* Begin Patch/.test(v)) return { patch: v };
    try {
      const parsed = JSON.parse(v);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : 'malformed';
    } catch {
      return 'malformed';
    }
  }
  return typeof v === 'object' && !Array.isArray(v) ? (v as Payload) : 'malformed';
}

export function sessionOf(p: Payload): string | undefined {
  return str(p, 'session_id', 'sessionId', 'conversation_id');
}

/** Joins the non-empty parts of an agent's stated reason. */
export function reasonOf(...parts: (string | undefined)[]): string | undefined {
  const s = parts.filter((x): x is string => !!x && !!x.trim()).map((x) => x.trim()).join(' — ');
  return s || undefined;
}

// ---- shell text for what a tool would do ----

/** Argument vectors (Codex's `["bash","-lc","…"]`, a task's command and args) as one command line. */
export function commandLine(argv: readonly string[]): string {
  if (argv.length === 3 && /^(?:.*\/)?(?:ba|z|da|k)?sh$/.test(argv[0]) && /^-\w*c$/.test(argv[1])) return argv[2];
  return argv.map(shellQuote).join(' ');
}


/** A file whose content a tool call would lose. */
export interface Loss {
  path: string;
  /** `empties`, or `replaces` (an existing file outside the project). */
  how: 'empties' | 'replaces';
}

const MAX_EDITED_FILE = 8 * 1024 * 1024;

/**
 * A whole-file write (Claude Write, Copilot create_file / create, Gemini write_file) loses the old content when it
 * empties an existing non-empty file, anywhere; or replaces an existing file outside the project, where neither the
 * repository's history nor the agent's own checkpoints can bring it back. Writes of new files and ordinary rewrites
 * inside the project are not the guard's business.
 */
export function writeLoss(path: string, content: string, cwd: string, projectDir: string, files: FileView): Loss | null {
  const abs = resolve(cwd, path);
  const size = files.size(abs);
  if (size === null) return null;
  if (!content.trim() && size > 0) return { path: abs, how: 'empties' };
  if (!isWithin(projectDir, abs)) return { path: abs, how: 'replaces' };
  return null;
}

export interface Replacement {
  old: string;
  new: string;
  all?: boolean;
}

/**
 * A string edit (Claude Edit / MultiEdit, Copilot replace_string_in_file, Gemini replace) loses content only when,
 * applied to the file as it is, it leaves a non-empty file empty. Edits that would not apply are left to the tool.
 */
/** The text after string edits, or null when one would not apply (the tool then fails on its own). */
export function applyEdits(text: string, edits: readonly Replacement[]): string | null {
  let t = text;
  for (const e of edits) {
    if (!e.old || !t.includes(e.old)) return null;
    t = e.all ? t.split(e.old).join(e.new) : t.replace(e.old, () => e.new);
  }
  return t;
}

export function editLoss(path: string, edits: readonly Replacement[], cwd: string, files: FileView): Loss | null {
  const abs = resolve(cwd, path);
  const before = files.read(abs, MAX_EDITED_FILE);
  if (before === null || !before.trim()) return null;
  let t = before;
  for (const e of edits) {
    if (!e.old || !t.includes(e.old)) return null;
    t = e.all ? t.split(e.old).join(e.new) : t.replace(e.old, () => e.new);
  }
  return t.trim() ? null : { path: abs, how: 'empties' };
}

/** The call for file tools: the shell equivalent the engine judges is deleting the files, since the content is lost. */
export function lossCall(tool: string, losses: readonly { path: string; how: Loss['how'] | 'deletes' }[], base: Omit<ToolCall, 'tool' | 'command' | 'effect'>): Extraction {
  if (!losses.length) return { kind: 'ignore' };
  // What a person types to approve is the path as they know it: relative inside the working folder.
  const shown = (p: string) => (isWithin(base.cwd, p) ? relative(base.cwd, p) || '.' : p);
  const paths = [...new Set(losses.map((l) => shown(l.path)))];
  const effect = losses.map((l) => `${l.how} ${shown(l.path)}${l.how === 'replaces' ? ' (outside the project)' : ''}`).join('; ');
  return { kind: 'call', call: { ...base, tool, command: `rm -f -- ${paths.map(shellQuote).join(' ')}`, effect: `${tool} ${effect}` } };
}

export function shellCall(tool: string, input: Payload, base: Omit<ToolCall, 'tool' | 'command'>, ...commandKeys: string[]): Extraction {
  const raw = input[commandKeys[0] ?? 'command'];
  const command = typeof raw === 'string' ? raw : Array.isArray(raw) && raw.length && raw.every((x) => typeof x === 'string') ? commandLine(raw as string[]) : undefined;
  if (command === undefined) return { kind: 'malformed', why: `${tool} call without a command` };
  // A PowerShell tool's command is PowerShell; a payload may also name its shell (an argv's program is read as bash).
  const shell = typeof raw === 'string' ? (shellKindOf(str(input, 'shell')) ?? (/^(powershell|pwsh)$/i.test(tool) ? 'powershell' : undefined)) : undefined;
  return { kind: 'call', call: { ...base, tool, command, ...(shell && shell !== 'bash' ? { shell } : {}) } };
}

/** Field spellings differ by agent: Claude `file_path`/`old_string`, VS Code `filePath`/`oldString`, Copilot CLI `path`/`old_str`. */
export function fileWrite(tool: string, input: Payload, base: Omit<ToolCall, 'tool' | 'command'>, projectDir: string, files: FileView): Extraction {
  const path = str(input, 'file_path', 'filePath', 'path');
  const content = text(input, 'content', 'file_text', 'text');
  if (!path) return { kind: 'malformed', why: `${tool} call without a file path` };
  if (content === undefined) return { kind: 'ignore' };
  const loss = writeLoss(path, content, base.cwd, projectDir, files);
  const touched = protectedWrite(path, files.read(resolve(base.cwd, path), MAX_EDITED_FILE), content, base.cwd);
  return withProtected(tool, lossCall(tool, loss ? [loss] : [], base), touched ? [touched] : [], base);
}

export function fileEdits(tool: string, input: Payload, base: Omit<ToolCall, 'tool' | 'command'>, files: FileView): Extraction {
  const path = str(input, 'file_path', 'filePath', 'path');
  if (!path) return { kind: 'malformed', why: `${tool} call without a file path` };
  const list = Array.isArray(input.edits) ? input.edits : [input];
  const edits: Replacement[] = [];
  for (const e of list) {
    const old = text(e, 'old_string', 'oldString', 'old_str');
    const rep = text(e, 'new_string', 'newString', 'new_str');
    if (old === undefined || rep === undefined) return { kind: 'ignore' };
    edits.push({ old, new: rep, all: !!(e as Payload).replace_all });
  }
  const loss = editLoss(path, edits, base.cwd, files);
  const before = files.read(resolve(base.cwd, path), MAX_EDITED_FILE);
  const after = before === null ? null : applyEdits(before, edits);
  // An edit that would not apply changes nothing (the tool fails on its own).
  const touched = after === null ? null : protectedWrite(path, before, after, base.cwd);
  return withProtected(tool, lossCall(tool, loss ? [loss] : [], base), touched ? [touched] : [], base);
}

/**
 * Whether an update's hunks, applied to the file as it is, leave a non-empty file empty: every non-blank line of the
 * file is among the lines the patch removes (as many times as it has them), and it adds none but blank ones.
 */
export function patchEmpties(before: string | null, removed: readonly string[], added: readonly string[]): boolean {
  if (before === null || !before.trim() || added.some((l) => l.trim())) return false;
  const left = new Map<string, number>();
  for (const l of removed) left.set(l.trimEnd(), (left.get(l.trimEnd()) ?? 0) + 1);
  for (const l of before.split(/\r?\n/)) {
    if (!l.trim()) continue;
    const n = left.get(l.trimEnd()) ?? 0;
    if (!n) return false;
    left.set(l.trimEnd(), n - 1);
  }
  return true;
}

export function patchCall(tool: string, patch: string, base: Omit<ToolCall, 'tool' | 'command'>, home = homedir(), files: FileView = diskFiles, projectDir = base.cwd): Extraction {
  const parsed = parsePatch(patch);
  const losses: { path: string; how: Loss['how'] | 'deletes' }[] = [];
  const moves: string[] = [];
  for (const f of parsed) {
    const abs = resolve(base.cwd, f.path);
    if (f.op === 'delete') losses.push({ path: abs, how: 'deletes' });
    else if (f.op === 'update' && patchEmpties(files.read(abs, MAX_EDITED_FILE), f.removed, f.added)) losses.push({ path: abs, how: 'empties' });
    // A move out of the project takes the file where neither the repository nor the agent's checkpoints follow it.
    if (f.op === 'update' && f.moveTo && isWithin(projectDir, abs) && !isWithin(projectDir, resolve(base.cwd, f.moveTo))) moves.push(`mv -- ${shellQuote(f.path)} ${shellQuote(resolve(base.cwd, f.moveTo))}`);
  }
  const touched: { path: string; what: string }[] = [];
  for (const f of parsed) {
    for (const target of [f.path, f.moveTo].filter((x): x is string => !!x)) {
      // A link (to the file, or to a folder on its way) is judged by where the patch really writes.
      const abs = protectedFile(resolve(base.cwd, target), home) ? resolve(base.cwd, target) : realPath(resolve(base.cwd, target));
      const pf = protectedFile(abs, home);
      // A move or a delete of such a file, or an add or an update whose lines touch what decides protection.
      // An .env file matters only for the lines that set a hook off-switch (adding or deleting one with API keys does not).
      const matters = pf?.format === 'dotenv' ? patchLinesTouchProtection(pf, f.added) : f.op === 'delete' || !!f.moveTo || f.op === 'add' || (!!pf && patchLinesTouchProtection(pf, [...f.added, ...f.removed]));
      if (pf && matters) touched.push({ path: abs, what: pf.what });
    }
  }
  let x = lossCall(tool, losses, base);
  if (moves.length) {
    const effect = `${tool} moves ${parsed.filter((f) => f.moveTo).map((f) => `${f.path} to ${f.moveTo}`).join('; ')} (out of the project)`;
    x = x.kind === 'call' ? { kind: 'call', call: { ...x.call, command: `${x.call.command} ; ${moves.join(' ; ')}`, effect: `${x.call.effect}; ${effect}` } } : { kind: 'call', call: { ...base, tool, command: moves.join(' ; '), effect } };
  }
  return withProtected(tool, x, touched, base);
}

/**
 * A file tool writing a file that decides protection (an agent's hook settings, VS Code's settings, Agent Guard's own
 * files) is judged as the shell write it amounts to, which rule guard.config-edit holds for a person.
 */
export function protectedWrite(path: string, before: string | null, after: string | null, cwd: string, home = homedir()): { path: string; what: string } | null {
  const abs = resolve(cwd, path);
  // A symlink is judged by the file it writes to, and named by it: the rule holds the real path.
  const target = protectedFile(abs, home) ? abs : realPath(abs);
  const pf = protectedFile(target, home);
  return pf && changesProtection(pf, before, after) ? { path: target, what: pf.what } : null;
}

/**
 * Where a write to p lands: symlinks resolved, also when p does not exist yet (a new file in a linked folder is
 * written through the link: the nearest existing folder on its way is resolved and the rest put back).
 */
export function realPath(p: string): string {
  const rest: string[] = [];
  let at = p;
  for (;;) {
    try {
      return join(realpathSync(at), ...rest);
    } catch {
      const up = dirname(at);
      if (up === at) return p;
      rest.unshift(basename(at));
      at = up;
    }
  }
}

/** What every agent's payload carries the same way: the tool's name, its input object, the working folder, the session. */
export function readToolCall(p: Payload, ctx: ExtractContext): { tool: string; input: Payload; base: { cwd: string; sessionId?: string } } | { kind: 'malformed'; why: string } {
  const tool = str(p, 'tool_name');
  if (!tool) return { kind: 'malformed', why: 'no tool_name' };
  const input = toolInput(p.tool_input);
  if (input === 'malformed') return { kind: 'malformed', why: `${tool}: tool_input is not an object` };
  return { tool, input, base: { cwd: str(p, 'cwd') ?? ctx.cwd, sessionId: sessionOf(p) } };
}

/** A notebook edit: its cells are ordinary edits, but a notebook path that is really a protected file is not. */
export function notebookEdit(tool: string, input: Payload, base: { cwd: string; sessionId?: string }, files: FileView): Extraction {
  const path = str(input, 'notebook_path');
  if (!path) return { kind: 'malformed', why: `${tool} without a notebook_path` };
  const touched = protectedWrite(path, files.read(resolve(base.cwd, path), 8 * 1024 * 1024), str(input, 'new_source') ?? '', base.cwd);
  return withProtected(tool, { kind: 'ignore' }, touched ? [touched] : [], base);
}

/** Adds the protected files a tool call writes to the call the engine judges. */
export function withProtected(tool: string, x: Extraction, touched: readonly { path: string; what: string }[], base: Omit<ToolCall, 'tool' | 'command' | 'effect'>): Extraction {
  if (!touched.length) return x;
  const shown = (p: string) => (isWithin(base.cwd, p) ? relative(base.cwd, p) || '.' : p);
  const command = touched.map((t) => `tee -- ${shellQuote(shown(t.path))}`).join(' ; ');
  const effect = `${tool} changes ${touched.map((t) => `${shown(t.path)} (${t.what})`).join('; ')}`;
  if (x.kind !== 'call') return { kind: 'call', call: { ...base, tool, command, effect } };
  return { kind: 'call', call: { ...x.call, command: `${x.call.command} ; ${command}`, effect: `${x.call.effect ?? tool}; ${effect}` } };
}
