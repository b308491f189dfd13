// Codex CLI's PreToolUse hook: Bash (`command`, a string or an argument vector) and apply_patch (the patch text in
// `command`, or `input` in some builds). Codex cannot ask: `permissionDecision: "ask"` and a bare `"allow"` are
// rejected as unsupported and the tool then runs. So: allow is silence, and a held command either waits for a typed
// approval in VS Code or is denied with a reason that tells the person how to run it themselves.
// Codex's output schema forbids unknown fields, so only `hookSpecificOutput` is sent.

import type { Adapter, ExtractContext, Extraction, HookAnswer, Payload, Verdict } from './adapter';
import { isMcpTool, mcpCall } from './mcp';
import { patchCall, readToolCall, reasonOf, shellCall, str } from './adapter';

export function extractCodex(p: Payload, ctx: ExtractContext): Extraction {
  const call = readToolCall(p, ctx);
  if ('kind' in call) return call;
  const { tool, input, base } = call;
  if (isMcpTool(tool)) return mcpCall(tool, input, base);
  if (/^(bash|shell|local_shell|exec_command)$/i.test(tool)) return shellCall(tool, input, { ...base, why: reasonOf(str(input, 'description'), str(input, 'justification')) }, 'command');
  if (/^apply_patch$/i.test(tool)) {
    const patch = str(input, 'command', 'input', 'patch');
    if (patch === undefined) return { kind: 'malformed', why: 'apply_patch without a patch' };
    return patchCall(tool, patch, base, undefined, ctx.files);
  }
  return { kind: 'ignore' };
}

export function answerCodex(v: Verdict): HookAnswer {
  if (v.kind !== 'deny') return { stdout: '', exitCode: 0 };
  const body = { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: v.reason } };
  return { stdout: JSON.stringify(body) + '\n', exitCode: 0 };
}

export const codex: Adapter = { id: 'codex', extract: extractCodex, answer: answerCodex };
