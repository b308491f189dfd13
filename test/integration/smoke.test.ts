// Proves the host is a real one: the extension loads, the fixture workspace is open, and terminals run
// commands with shell integration (what Agent Guard watches).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'agent-guard.agent-guard';

/** Resolves with the first event that satisfies `predicate`, or rejects after `ms`. */
function nextEvent<T>(event: vscode.Event<T>, predicate: (e: T) => boolean, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    const listener = event((e) => {
      if (!predicate(e)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(e);
    });
  });
}

/**
 * Shell integration activates asynchronously once the shell's prompt script has run. The first terminal also
 * starts the pty host, which takes about 10 s on a busy 2-core machine.
 */
async function shellIntegrationOf(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration> {
  if (terminal.shellIntegration) return terminal.shellIntegration;
  const changed = await nextEvent(
    vscode.window.onDidChangeTerminalShellIntegration,
    (e) => e.terminal === terminal,
    30_000,
    `shell integration in terminal "${terminal.name}"`,
  );
  return changed.shellIntegration;
}

describe('extension host smoke', () => {
  it('has the extension and activates it', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('opens the fixture workspace with its settings', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    const settings = vscode.Uri.joinPath(folders[0].uri, '.vscode', 'settings.json');
    await vscode.workspace.fs.stat(settings);
    assert.equal(vscode.workspace.getConfiguration('agentGuard').get('environment'), 'production');
  });

  for (const shellPath of ['/bin/bash', '/usr/bin/zsh']) {
    it(`runs a command in a ${shellPath} terminal through shell integration`, async () => {
      const cwd = vscode.workspace.workspaceFolders![0].uri;
      const terminal = vscode.window.createTerminal({ name: `smoke ${shellPath}`, shellPath, cwd });
      try {
        const integration = await shellIntegrationOf(terminal);
        // Checking for a fixture file also proves the terminal starts in the workspace folder.
        const execution = integration.executeCommand('test -f .vscode/settings.json');
        const end = await nextEvent(
          vscode.window.onDidEndTerminalShellExecution,
          (e) => e.execution === execution,
          30_000,
          'the command to end',
        );
        assert.equal(end.exitCode, 0);
      } finally {
        terminal.dispose();
      }
    });
  }
});
