// Qwen Code's PreToolUse hook (a Gemini CLI fork; read from its shipped code, 0.24.4). The payload is Claude's shape
// with Qwen's own tool ids: run_shell_command and monitor (`command`, `description`, an absolute `directory`),
// write_file (`file_path`, `content`), edit (`file_path`, `old_string`, `new_string`, `replace_all`) and
// notebook_edit (`notebook_path`, `new_source`). Qwen reads `hookSpecificOutput.permissionDecision` (allow, deny,
// ask) and its reason reaches the model; it fires the hook in every approval mode, yolo included, after its own
// confirmation. A hook that crashes, times out or prints nothing lets the call run (the launcher refuses instead).

import { resolve } from 'node:path';
import type { Adapter, ExtractContext, Extraction, Payload } from './adapter';
import { fileEdits, fileWrite, notebookEdit, readToolCall, shellCall, str } from './adapter';
import { answerClaude } from './claude';
import { isMcpTool, mcpCall } from './mcp';

export function extractQwen(p: Payload, ctx: ExtractContext): Extraction {
  const call = readToolCall(p, ctx);
  if ('kind' in call) return call;
  const { tool, input, base } = call;
  const cwd = base.cwd;
  if (isMcpTool(tool)) return mcpCall(tool, input, base);
  switch (tool) {
    case 'run_shell_command':
    case 'monitor': {
      const dir = str(input, 'directory', 'dir_path');
      return shellCall(tool, input, { ...base, cwd: dir ? resolve(cwd, dir) : cwd, why: str(input, 'description') }, 'command');
    }
    case 'write_file':
      return fileWrite(tool, input, base, ctx.env.QWEN_PROJECT_DIR || cwd, ctx.files);
    case 'edit':
      return fileEdits(tool, input, base, ctx.files);
    case 'notebook_edit':
      return notebookEdit(tool, input, base, ctx.files);
    default:
      return { kind: 'ignore' };
  }
}

export const qwen: Adapter = { id: 'qwen', extract: extractQwen, answer: answerClaude };
