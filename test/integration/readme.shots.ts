// The README's screenshots, taken in the real VS Code on the demo workspace `npm start` serves (production):
// a held `rm -rf db` with its box, the same command approved, a refusal, and the Agent Guard view with its menu.
// Run by `npm run screenshots` (test/harness/screenshots.mjs), never by `npm test`. Each shot first checks that the
// screen shows what the README says it shows.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { person } from './person';
import { root, terminalReady, waitFor } from './workspace';

const shots = process.env.AGENT_GUARD_SCREENSHOTS ?? '';

async function screenUntil(ok: (text: string) => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  let text = '';
  while (Date.now() < end) {
    text = ((await person.terminal()).text ?? '').replace(/\n/g, '');
    if (ok(text)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the terminal never showed ${what}: ${text}`);
}

async function shoot(name: string): Promise<void> {
  // Let the workbench finish painting (the box's animation, the terminal's last row).
  await new Promise((r) => setTimeout(r, 800));
  const r = await person.screenshot(join(shots, name));
  assert.ok(r.ok, r.error);
}

describe('README screenshots (demo workspace)', function () {
  this.timeout(180_000);
  let term: vscode.Terminal;

  before(async () => {
    assert.ok(shots, 'AGENT_GUARD_SCREENSHOTS names the folder for the PNGs');
    // As `npm start` does: the demo is a git repository with one commit.
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root(), stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('-c', 'user.name=Demo', '-c', 'user.email=demo@example.invalid', 'commit', '-q', '-m', 'Demo project');
    await vscode.extensions.getExtension('agent-guard.agent-guard')!.activate();
    await vscode.window.showTextDocument(vscode.Uri.file(join(root(), 'db', 'schema.sql')));
    await vscode.commands.executeCommand('workbench.view.explorer');
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(join(root(), 'db', 'schema.sql')));
    term = await terminalReady('agent');
  });
  after(() => term?.dispose());

  it('approval.png: rm -rf db held, the box asking for production/db', async () => {
    term.show();
    await vscode.commands.executeCommand('workbench.action.terminal.clear');
    term.sendText('rm -rf db');
    const b = await person.box();
    assert.ok(b.ok && /production\/db/.test(b.text ?? ''), b.text);
    await screenUntil((t) => /held by Agent Guard/.test(t), 'the held line');
    await shoot('approval.png');
  });

  it('approved.png: the person typed the name; the terminal says who approved, db is gone', async () => {
    assert.ok((await person.type('production/db')).ok);
    await waitFor(() => !existsSync(join(root(), 'db')), 20_000, 'db to be deleted');
    await screenUntil((t) => /approved by .* \(typed "production\/db"\)/.test(t), 'the approval');
    await shoot('approved.png');
  });

  it('refused.png: a GraphQL volumeDelete is refused outright in production, with its rule', async () => {
    await vscode.commands.executeCommand('workbench.action.terminal.clear');
    term.sendText(`curl -X POST https://backboard.railway.app/graphql/v2 -d '{"query":"mutation { volumeDelete(volumeId: \\"vol_prod_main\\") }"}'`);
    await screenUntil((t) => /refused by Agent Guard — http\./.test(t), 'the refusal');
    await shoot('refused.png');
  });

  it('protection.png: the Agent Guard view and the status-bar menu', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.agentGuard');
    void vscode.commands.executeCommand('agentGuard.showEnvironment');
    assert.ok((await person.list()).ok);
    await shoot('protection.png');
    assert.ok((await person.press('Escape')).ok);
  });
});
