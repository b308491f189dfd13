// Per-terminal line gate status, in a real VS Code: the protection view names each terminal of the window and whether
// its shell has the line gate, and the status-bar badge turns red when a terminal that had it no longer does.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { person } from './person';
import { root, terminalReady, waitFor } from './workspace';

const EXTENSION_ID = 'agent-guard.agent-guard';

/** The protection view's text (Agent Guard: Check which agents are protected), as a person reads it. */
async function protectionView(): Promise<string> {
  await vscode.commands.executeCommand('agentGuard.checkProtection');
  return vscode.window.activeTextEditor?.document.getText() ?? '';
}

async function viewUntil(re: RegExp, ms: number): Promise<string> {
  const end = Date.now() + ms;
  let text = '';
  while (Date.now() < end) {
    text = await protectionView();
    if (re.test(text)) return text;
    await new Promise((r) => setTimeout(r, 1000));
  }
  assert.fail(`the protection view never showed ${re}:\n${text}`);
}

describe('per-terminal line gate status in a real VS Code', function () {
  this.timeout(180_000);
  const opened: vscode.Terminal[] = [];

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });
  after(() => {
    for (const t of opened) t.dispose();
  });

  it('lists a bash terminal with the gate loaded and a plain sh terminal without it', async () => {
    const bash = await terminalReady('gated bash');
    opened.push(bash);
    const sh = vscode.window.createTerminal({ name: 'plain sh', shellPath: '/bin/sh', cwd: root() });
    opened.push(sh);
    const [bashPid, shPid] = [await bash.processId, await sh.processId];
    const text = await viewUntil(new RegExp(`✓ gated bash \\(pid ${bashPid}\\): the line gate is loaded \\(bash`), 30_000);
    assert.match(text, new RegExp(`✗ plain sh \\(pid ${shPid}\\): the line gate is not loaded in this terminal`));
    assert.match(text, /Terminals of this window:/);
  });

  it('a gated terminal whose shell is replaced (exec sh) shows as lost, and the badge turns red', async () => {
    const bash = opened[0];
    const pid = await bash.processId;
    bash.sendText('exec sh');
    await waitFor(() => bash.state.shell === 'sh', 30_000, `VS Code to report the terminal's shell as sh (it says ${bash.state.shell})`);
    const text = await viewUntil(new RegExp(`✗ gated bash \\(pid ${pid}\\): the line gate was loaded .* now runs sh, which has no line gate`), 20_000);
    assert.ok(text);
    // The badge is drawn by the workbench a moment after the item changes: read the status bar until it shows.
    let bar = '';
    for (let i = 0; i < 15 && !/terminal "gated bash" not protected/.test(bar); i++) {
      await vscode.commands.executeCommand('agentGuard.refreshProtection');
      const r = await person.read('#workbench\\.parts\\.statusbar');
      assert.ok(r.ok, r.error);
      bar = r.text ?? '';
      await new Promise((done) => setTimeout(done, 1000));
    }
    assert.match(bar, /terminal "gated bash" not protected/);
  });
});
