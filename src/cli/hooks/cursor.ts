// Cursor's beforeShellExecution hook: `command` and `cwd` (may be empty) at the top level, no stated reason.
// The answer is flat snake_case with no wrapper. The hook is installed with `failClosed: true`, so an empty answer
// would block: every call gets an explicit `permission`. Cursor's `ask` behaved like deny with no dialog (3.9.16),
// so a held command waits for VS Code instead. `user_message` is what reached the model in observed runs.

import type { Adapter, ExtractContext, Extraction, HookAnswer, Payload, Verdict } from './adapter';
import { sessionOf, shellCall, str, toolInput } from './adapter';

export function extractCursor(p: Payload, ctx: ExtractContext): Extraction {
  const roots = Array.isArray(p.workspace_roots) ? p.workspace_roots.filter((r): r is string => typeof r === 'string' && r !== '') : [];
  const base = { cwd: str(p, 'cwd') ?? roots[0] ?? ctx.cwd, sessionId: sessionOf(p) };
  const event = str(p, 'hook_event_name');
  if (event === 'beforeShellExecution' || (event === undefined && 'command' in p)) return shellCall('Shell', p, base, 'command');
  // The same hook registered on preToolUse: only its Shell tool is judged.
  if (event === 'preToolUse') {
    if (str(p, 'tool_name') !== 'Shell') return { kind: 'ignore' };
    const input = toolInput(p.tool_input);
    if (input === 'malformed') return { kind: 'malformed', why: 'Shell: tool_input is not an object' };
    return shellCall('Shell', input, { ...base, cwd: str(input, 'cwd') ?? base.cwd }, 'command');
  }
  return event ? { kind: 'ignore' } : { kind: 'malformed', why: 'no hook_event_name and no command' };
}

export function answerCursor(v: Verdict): HookAnswer {
  if (v.kind !== 'deny') return { stdout: JSON.stringify({ permission: 'allow' }) + '\n', exitCode: 0 };
  return { stdout: JSON.stringify({ permission: 'deny', user_message: v.reason, agent_message: v.reason }) + '\n', exitCode: 0 };
}

export const cursor: Adapter = { id: 'cursor', extract: extractCursor, answer: answerCursor };
