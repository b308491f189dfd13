// GitHub Copilot's PreToolUse hooks, in every runtime that reads ~/.copilot/hooks or .github/hooks:
// - VS Code's Local harness: `tool_name` + `tool_input`, VS Code tool names (run_in_terminal, run_task,
//   create_and_run_task, run_vscode_command, apply_patch, create_file, replace_string_in_file…);
// - the Copilot harness / Copilot CLI, PascalCase registration: Claude tool names (Bash, Write, Edit);
// - the Copilot CLI, camelCase registration: `toolName` + `toolArgs` (often a JSON string), CLI tool names
//   (bash, powershell, create, edit, apply_patch).
// VS Code reads only the nested `hookSpecificOutput` decision and the CLI only the top-level one, so both are sent
// (observed to work in both). No answer (exit 0, empty stdout) leaves Copilot's own confirmation in charge: an
// explicit allow would skip it, so allow is only said for what a person approved in VS Code.

import { isAbsolute, join, relative } from 'node:path';
import type { Adapter, ExtractContext, Extraction, FileView, HookAnswer, Payload, ToolCall, Verdict } from './adapter';
import { isMcpTool, mcpCall } from './mcp';
import { fileEdits, fileWrite, isWithin, obj, patchCall, reasonOf, sessionOf, shellCall, str, toolInput } from './adapter';
import { parseJsonc } from '../../core/agents/hookConfig';
import { shellQuote } from '../../core/parse/shellQuote';

/** Tool names only VS Code's Local harness sends: a payload carrying one came from VS Code, whichever file registered the hook. */
export const VSCODE_LOCAL_TOOLS: ReadonlySet<string> = new Set([
  'run_in_terminal',
  'run_task',
  'create_and_run_task',
  'run_vscode_command',
  'create_file',
  'replace_string_in_file',
  'multi_replace_string_in_file',
  'insert_edit_into_file',
  'create_directory',
  'edit_notebook_file',
  'run_notebook_cell',
  'read_file',
  'list_dir',
  'file_search',
  'grep_search',
  'semantic_search',
  'get_errors',
  'get_terminal_output',
  'install_extension',
  'runSubagent',
  'fetch_webpage',
  'manage_todo_list',
]);

const SHELL_TOOLS = new Set(['run_in_terminal', 'bash', 'powershell', 'Bash', 'PowerShell']);
const WRITE_TOOLS = new Set(['create_file', 'create', 'Write']);
const EDIT_TOOLS = new Set(['replace_string_in_file', 'edit', 'str_replace', 'Edit', 'MultiEdit']);

/**
 * VS Code commands an agent can run through run_vscode_command that do what a gated shell command does. Commands not
 * listed are left to Copilot's own confirmation.
 */
const VSCODE_COMMANDS: Readonly<Record<string, (args: readonly unknown[], cwd: string) => string | undefined>> = {
  // Types text into the active terminal: the text is the command.
  'workbench.action.terminal.sendSequence': (args) => str(args[0], 'text'),
  'git.pushForce': () => 'git push --force',
  'git.pushForceWithLease': () => 'git push --force-with-lease',
  'git.cleanAll': () => 'git restore . ; git clean -fd',
  'git.cleanAllTracked': () => 'git restore .',
  'git.cleanAllUntracked': () => 'git clean -fd',
  'git.stashDrop': () => 'git stash drop',
  'git.stashDropAll': () => 'git stash clear',
  // The git extension's commands (extensions/git/package.json): their arguments are resource states or URIs, and
  // without them the extension acts on the Source Control selection or asks; the stand-in then names the whole tree.
  'git.clean': (args, cwd) => `git restore -- ${uriPaths(args, cwd)} ; git clean -fd -- ${uriPaths(args, cwd)}`,
  'git.discardChanges': (args, cwd) => `git restore -- ${uriPaths(args, cwd)}`,
  'git.revertChange': (args, cwd) => `git restore -p -- ${uriPaths(args, cwd)}`,
  'git.revertSelectedRanges': () => 'git restore -p -- .',
  'git.deleteBranch': (args) => `git branch -D ${shellQuote(typeof args[0] === 'string' ? args[0] : str(args[0], 'name') ?? '<a branch chosen in VS Code>')}`,
  'git.deleteRemoteBranch': (args) => `git push origin --delete ${shellQuote(typeof args[0] === 'string' ? args[0] : str(args[0], 'name') ?? '<a branch chosen in VS Code>')}`,
  'git.deleteTag': (args) => `git tag -d ${shellQuote(typeof args[0] === 'string' ? args[0] : str(args[0], 'name') ?? '<a tag chosen in VS Code>')}`,
  'git.undoCommit': () => 'git reset --soft HEAD~1',
  'git.dropStash': () => 'git stash drop',
  // The Explorer: deleteFile deletes for good, moveFileToTrash to the trash (both act on the Explorer's selection).
  deleteFile: (args, cwd) => `rm -rf -- ${uriPaths(args, cwd)}`,
  moveFileToTrash: (args, cwd) => `rm -rf -- ${uriPaths(args, cwd)}`,
};

/** The files a VS Code command's arguments name (URIs, resource states, paths), quoted; `.` when none. */
function uriPaths(args: readonly unknown[], cwd: string): string {
  const out: string[] = [];
  const one = (a: unknown): void => {
    if (Array.isArray(a)) return a.forEach(one);
    const s = typeof a === 'string' ? a : str(a, 'fsPath', 'path') ?? str(obj(a, 'resourceUri'), 'fsPath', 'path') ?? str(obj(a, 'uri'), 'fsPath', 'path');
    // A file inside the working folder is named as a person knows it there (and as the rules read it).
    if (s) {
      const p = s.replace(/^file:\/\//, '');
      out.push(isAbsolute(p) && isWithin(cwd, p) ? relative(cwd, p) || '.' : p);
    }
  };
  args.forEach(one);
  return out.length ? out.map(shellQuote).join(' ') : '.';
}

/** The two payload shapes, as one: tool name and input object. */
function normalize(p: Payload): { tool?: string; input: Payload | 'malformed' } {
  if (typeof p.toolName === 'string') return { tool: p.toolName, input: toolInput(p.toolArgs) };
  return { tool: str(p, 'tool_name'), input: toolInput(p.tool_input) };
}

export function extractCopilot(p: Payload, ctx: ExtractContext): Extraction {
  const { tool, input } = normalize(p);
  if (!tool) return { kind: 'malformed', why: 'no tool name' };
  if (input === 'malformed') return { kind: 'malformed', why: `${tool}: tool input is not a JSON object` };
  const base = { cwd: str(p, 'cwd') ?? ctx.cwd, sessionId: sessionOf(p) };

  if (isMcpTool(tool)) return mcpCall(tool, input, base);
  if (SHELL_TOOLS.has(tool)) {
    const why = reasonOf(str(input, 'explanation'), str(input, 'goal') && `goal: ${str(input, 'goal')}`, str(input, 'description'), str(input, 'requestUnsandboxedExecutionReason') && `asks to run unsandboxed: ${str(input, 'requestUnsandboxedExecutionReason')}`);
    return shellCall(tool, input, { ...base, why }, 'command');
  }
  if (tool === 'run_task') return taskCall(tool, str(input, 'workspaceFolder') ?? base.cwd, str(input, 'id', 'label'), base, ctx.files);
  if (tool === 'create_and_run_task') {
    const task = obj(input, 'task');
    if (!task) return { kind: 'malformed', why: 'create_and_run_task without a task' };
    const command = taskLine(task);
    if (command === undefined) return { kind: 'malformed', why: 'create_and_run_task: the task has no command' };
    return { kind: 'call', call: { ...base, cwd: str(input, 'workspaceFolder') ?? base.cwd, tool, command, why: str(task, 'label') && `task "${str(task, 'label')}"` } };
  }
  if (tool === 'run_vscode_command') return vscodeCommandCall(tool, input, base, ctx.files);

  // apply_patch arrives as itself (VS Code, CLI) or, in PascalCase registrations, as Edit with the patch text.
  const patch = str(input, 'input', 'patch') ?? (tool === 'apply_patch' ? str(input, 'command') : undefined);
  if (tool === 'apply_patch' || (tool === 'Edit' && patch?.includes('*** Begin Patch'))) {
    if (patch === undefined) return { kind: 'malformed', why: 'apply_patch without a patch' };
    return patchCall(tool, patch, { ...base, why: str(input, 'explanation') }, undefined, ctx.files);
  }
  if (WRITE_TOOLS.has(tool) || (tool === 'str_replace_editor' && str(input, 'command') === 'create')) {
    return fileWrite(tool, input, { ...base, why: str(input, 'explanation') }, base.cwd, ctx.files);
  }
  if (EDIT_TOOLS.has(tool) || (tool === 'str_replace_editor' && str(input, 'command') === 'str_replace')) {
    return fileEdits(tool, input, { ...base, why: str(input, 'explanation') }, ctx.files);
  }
  if (tool === 'multi_replace_string_in_file') return multiReplace(tool, input, base, ctx.files);
  return { kind: 'ignore' };
}

function multiReplace(tool: string, input: Payload, base: Omit<ToolCall, 'tool' | 'command'>, files: FileView): Extraction {
  if (!Array.isArray(input.replacements)) return { kind: 'malformed', why: `${tool} without replacements` };
  const byFile = new Map<string, Payload[]>();
  for (const r of input.replacements) {
    const path = str(r, 'filePath');
    if (!path) return { kind: 'malformed', why: `${tool}: a replacement without a filePath` };
    byFile.set(path, [...(byFile.get(path) ?? []), r as Payload]);
  }
  const calls: ToolCall[] = [];
  for (const [path, edits] of byFile) {
    const x = fileEdits(tool, { filePath: path, edits: edits.map((e) => ({ old_string: e.oldString, new_string: e.newString })) }, { ...base, why: str(input, 'explanation') }, files);
    if (x.kind === 'call') calls.push(x.call);
  }
  if (!calls.length) return { kind: 'ignore' };
  return { kind: 'call', call: { ...calls[0], command: calls.map((c) => c.command).join(' ; '), effect: calls.map((c) => c.effect).join('; ') } };
}

function vscodeCommandCall(tool: string, input: Payload, base: Omit<ToolCall, 'tool' | 'command'>, files: FileView): Extraction {
  const id = str(input, 'commandId');
  if (!id) return { kind: 'malformed', why: 'run_vscode_command without a commandId' };
  const args = Array.isArray(input.args) ? input.args : [];
  const call: ToolCall = { ...base, tool, command: `code --command ${id}`, why: str(input, 'name') };
  // An agent must not operate the guard: its commands are for the person.
  if (id.startsWith('agentGuard.')) return { kind: 'refuse', reason: `Agent Guard's own commands (${id}) are for the person at the keyboard, not for agents.`, call };
  if (id === 'workbench.action.tasks.runTask') return taskCall(tool, base.cwd, typeof args[0] === 'string' ? args[0] : str(args[0], 'task', 'label'), base, files);
  const command = VSCODE_COMMANDS[id]?.(args, base.cwd);
  return command ? { kind: 'call', call: { ...call, command, why: reasonOf(`VS Code command ${id}`, str(input, 'name')) } } : { kind: 'ignore' };
}

/** A task in the folder's .vscode/tasks.json, by label (or `type: label`); an unknown task is left to the task gate. */
function taskCall(tool: string, folder: string, id: string | undefined, base: Omit<ToolCall, 'tool' | 'command'>, files: FileView): Extraction {
  if (!id) return { kind: 'malformed', why: `${tool} without a task id` };
  const found = findTask(folder, id, files);
  if (!found) return { kind: 'ignore' };
  const command = taskLine(found);
  return command === undefined ? { kind: 'ignore' } : { kind: 'call', call: { ...base, cwd: folder, tool, command, why: `task "${id}"` } };
}

function findTask(folder: string, id: string, files: FileView): Payload | undefined {
  const text = files.read(join(folder, '.vscode', 'tasks.json'), 1024 * 1024);
  if (text === null) return undefined;
  const root = parseJsonc(text);
  const tasks = root && typeof root === 'object' && Array.isArray((root as Payload).tasks) ? ((root as Payload).tasks as unknown[]) : [];
  return tasks.find((t): t is Payload => {
    if (!t || typeof t !== 'object') return false;
    const label = str(t, 'label') ?? (str(t, 'script') && `npm: ${str(t, 'script')}`);
    return !!label && (id === label || id === `${str(t, 'type')}: ${label}`);
  });
}

/** A task's command line: shell/process tasks (with the platform's override) and npm scripts. */
function taskLine(task: Payload): string | undefined {
  const platform = obj(task, process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'osx' : 'linux');
  const t = { ...task, ...(platform ?? {}) };
  if (t.type === 'npm' && typeof t.script === 'string') return `npm run ${t.script}`;
  const word = (v: unknown) => (typeof v === 'string' ? v : str(v, 'value'));
  const command = word(t.command);
  if (command === undefined) return undefined;
  const args = Array.isArray(t.args) ? t.args.map(word).filter((a): a is string => a !== undefined) : [];
  return args.length ? `${command} ${args.map(shellQuote).join(' ')}` : command;
}

export function answerCopilot(v: Verdict): HookAnswer {
  if (v.kind === 'no-opinion') return { stdout: '', exitCode: 0 };
  const decision = v.kind;
  const body = {
    permissionDecision: decision,
    permissionDecisionReason: v.reason,
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: v.reason },
  };
  return { stdout: JSON.stringify(body) + '\n', exitCode: 0 };
}

export const copilot: Adapter = { id: 'copilot', extract: extractCopilot, answer: answerCopilot };
