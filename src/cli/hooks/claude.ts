// Claude Code's PreToolUse hook: Bash and PowerShell (their `description` is the agent's stated reason), and the file
// tools where content would be lost — Write emptying an existing file, or replacing one outside the project
// ($CLAUDE_PROJECT_DIR); Edit / MultiEdit leaving a file empty (see writeLoss / editLoss).
// Only `hookSpecificOutput` with `hookEventName` is sent: Claude treats JSON that fails its schema as a non-blocking
// error and lets the call through. No answer (exit 0, empty stdout) keeps Claude's own permission prompt; `ask` is
// never sent, since it has run without a prompt in some modes and it is one click, not a typed name.

import { resolve } from 'node:path';
import type { Adapter, ExtractContext, Extraction, HookAnswer, Payload, Verdict } from './adapter';
import { fileEdits, fileWrite, protectedWrite, sessionOf, shellCall, str, toolInput, withProtected } from './adapter';
import { isMcpTool, mcpCall } from './mcp';

const CLAUDE_TOOLS = new Map(['Bash', 'PowerShell', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit'].map((t) => [t.toLowerCase(), t]));

export function extractClaude(p: Payload, ctx: ExtractContext): Extraction {
  const tool = str(p, 'tool_name');
  if (!tool) return { kind: 'malformed', why: 'no tool_name' };
  const input = toolInput(p.tool_input);
  if (input === 'malformed') return { kind: 'malformed', why: `${tool}: tool_input is not an object` };
  const cwd = str(p, 'cwd') ?? ctx.cwd;
  const base = { cwd, sessionId: sessionOf(p) };
  if (isMcpTool(tool)) return mcpCall(tool, input, base, ctx.env);
  // Built-in names are compared in any case: a `bash` must not slip past the `Bash` branch.
  switch (CLAUDE_TOOLS.get(tool.toLowerCase()) ?? tool) {
    case 'Bash':
    case 'PowerShell':
      return shellCall(CLAUDE_TOOLS.get(tool.toLowerCase()) ?? tool, input, { ...base, why: str(input, 'description') }, 'command');
    case 'Write':
      return fileWrite(tool, input, base, ctx.env.CLAUDE_PROJECT_DIR || cwd, ctx.files);
    case 'Edit':
    case 'MultiEdit':
      return fileEdits(tool, input, base, ctx.files);
    case 'NotebookEdit': {
      // A notebook's cells are ordinary edits; a notebook path that is really a protected file is not.
      const path = str(input, 'notebook_path');
      if (!path) return { kind: 'malformed', why: 'NotebookEdit without a notebook_path' };
      const touched = protectedWrite(path, ctx.files.read(resolve(cwd, path), 8 * 1024 * 1024), str(input, 'new_source') ?? '', cwd);
      return withProtected(tool, { kind: 'ignore' }, touched ? [touched] : [], base);
    }
    default:
      return { kind: 'ignore' };
  }
}

export function answerClaude(v: Verdict): HookAnswer {
  if (v.kind === 'no-opinion') return { stdout: '', exitCode: 0 };
  const body = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: v.kind, permissionDecisionReason: v.reason } };
  return { stdout: JSON.stringify(body) + '\n', exitCode: 0 };
}

export const claude: Adapter = { id: 'claude', extract: extractClaude, answer: answerClaude };
