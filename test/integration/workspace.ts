// What the integration tests share: the open workspace folder, waiting for a condition, and a terminal whose shell
// integration (and so the gate's hook) is up.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export function root(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'a workspace folder is open');
  return f.uri.fsPath;
}

export async function waitFor(ok: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function terminalReady(name: string): Promise<vscode.Terminal> {
  const t = vscode.window.createTerminal({ name, cwd: root() });
  t.show();
  if (!t.shellIntegration) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no shell integration in 40 s')), 40_000);
      const l = vscode.window.onDidChangeTerminalShellIntegration((e) => {
        if (e.terminal === t) {
          clearTimeout(timer);
          l.dispose();
          resolve();
        }
      });
    });
  }
  return t;
}
