// What guarded terminals show, for the context meter's estimate of agents without a readable transcript.

import * as vscode from 'vscode';
import type { TerminalTextEvent } from './context';

/**
 * Terminals an agent drives: Copilot's hidden agent terminals (hideFromUser, COPILOT_AGENT / AI_AGENT in their
 * environment) and terminals named after an agent. A person's own terminal is not an agent session.
 */
export function isAgentTerminal(t: vscode.Terminal): boolean {
  const o = t.creationOptions as vscode.TerminalOptions;
  const env = (o && 'env' in o ? o.env : undefined) ?? {};
  if (o && 'hideFromUser' in o && o.hideFromUser) return true;
  if (env.COPILOT_AGENT || env.AI_AGENT || env.CLAUDECODE || env.CODEX_SANDBOX || env.GEMINI_CLI || env.QWEN_CODE) return true;
  return /\b(copilot|claude|codex|gemini|qwen|cursor|agent)\b/i.test(t.name);
}

export function terminalTextEvents(): { event: vscode.Event<TerminalTextEvent>; disposables: vscode.Disposable[] } {
  const emitter = new vscode.EventEmitter<TerminalTextEvent>();
  const ids = new WeakMap<vscode.Terminal, string>();
  let next = 0;
  const idOf = (t: vscode.Terminal): string => {
    let id = ids.get(t);
    if (!id) ids.set(t, (id = `terminal-${++next}`));
    return id;
  };
  const started = vscode.window.onDidStartTerminalShellExecution((e) => {
    if (!isAgentTerminal(e.terminal)) return;
    // read() yields output only when called synchronously in the start handler.
    const stream = e.execution.read();
    const terminalId = idOf(e.terminal);
    emitter.fire({ terminalId, name: e.terminal.name, cwd: e.execution.cwd?.fsPath, command: e.execution.commandLine.value });
    void (async () => {
      for await (const text of stream) emitter.fire({ terminalId, text });
    })().catch(() => undefined);
  });
  const closed = vscode.window.onDidCloseTerminal((t) => emitter.fire({ terminalId: idOf(t), closed: true }));
  return { event: emitter.event, disposables: [emitter, started, closed] };
}
