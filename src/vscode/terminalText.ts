// What guarded terminals show, for the context meter's estimate of agents without a readable transcript.

import * as vscode from 'vscode';
import type { TerminalTextEvent } from './context';

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
