// Gemini CLI's BeforeTool hook: run_shell_command (`command`, `description`, `dir_path` — older `directory`), and
// write_file / replace where content would be lost (see writeLoss / editLoss). The answer is flat: `decision` and a
// `reason` the model reads. Empty stdout is no decision, so Gemini's own confirmation stays in charge.

import { resolve } from 'node:path';
import type { Adapter, ExtractContext, Extraction, HookAnswer, Payload, Verdict } from './adapter';
import { isMcpTool, mcpCall } from './mcp';
import { fileEdits, fileWrite, readToolCall, shellCall, str } from './adapter';

export function extractGemini(p: Payload, ctx: ExtractContext): Extraction {
  const call = readToolCall(p, ctx);
  if ('kind' in call) return call;
  const { tool, input, base } = call;
  const cwd = base.cwd;
  if (isMcpTool(tool)) return mcpCall(tool, input, base);
  switch (tool) {
    case 'run_shell_command': {
      const dir = str(input, 'dir_path', 'directory');
      return shellCall(tool, input, { ...base, cwd: dir ? resolve(cwd, dir) : cwd, why: str(input, 'description') }, 'command');
    }
    case 'write_file':
      return fileWrite(tool, input, base, ctx.env.GEMINI_PROJECT_DIR || cwd, ctx.files);
    case 'replace':
      return fileEdits(tool, input, base, ctx.files);
    default:
      return { kind: 'ignore' };
  }
}

/**
 * Gemini CLI reads only deny, block and ask (0.61's hook output): no answer skips its own confirmation. After a typed
 * approval in VS Code the call is left to Gemini (its confirmation in default mode, none under --approval-mode yolo),
 * with a system message saying it was approved, rather than an `allow` Gemini would ignore.
 */
export function answerGemini(v: Verdict): HookAnswer {
  if (v.kind === 'no-opinion') return { stdout: '', exitCode: 0 };
  if (v.kind === 'allow') return { stdout: JSON.stringify({ systemMessage: v.reason }) + '\n', exitCode: 0 };
  return { stdout: JSON.stringify({ decision: v.kind, reason: v.reason }) + '\n', exitCode: 0 };
}

export const gemini: Adapter = { id: 'gemini', extract: extractGemini, answer: answerGemini };
