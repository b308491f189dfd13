// Claude Code's PreToolUse hook: Bash and PowerShell (their `description` is the agent's stated reason), and the file
// tools where content would be lost — Write emptying an existing file, or replacing one outside the project
// ($CLAUDE_PROJECT_DIR); Edit / MultiEdit leaving a file empty (see writeLoss / editLoss).
// Only `hookSpecificOutput` with `hookEventName` is sent: Claude treats JSON that fails its schema as a non-blocking
// error and lets the call through. No answer (exit 0, empty stdout) keeps Claude's own permission prompt; `ask` is
// never sent, since it has run without a prompt in some modes and it is one click, not a typed name.

import type { Adapter, ExtractContext, Extraction, HookAnswer, Payload, Verdict } from './adapter';
import { fileEdits, fileWrite, notebookEdit, readToolCall, shellCall, str } from './adapter';
import { isMcpTool, mcpCall } from './mcp';

const CLAUDE_TOOLS = new Map(['Bash', 'PowerShell', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit'].map((t) => [t.toLowerCase(), t]));

export function extractClaude(p: Payload, ctx: ExtractContext): Extraction {
  const call = readToolCall(p, ctx);
  if ('kind' in call) return call;
  const { tool, input, base } = call;
  const cwd = base.cwd;
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
    case 'NotebookEdit':
      return notebookEdit(tool, input, base, ctx.files);
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
