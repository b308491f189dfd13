// The local history as a person meets it, in a real VS Code: a folder deleted from a guarded terminal by a path the
// gate does not see, the notification that says so, Restore; a file an edit tool emptied, put back from its history.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AuditLog } from '../../src/core/audit/log';
import { auditLogPath, stateDir } from '../../src/core/paths';
import { HistoryRoot } from '../../src/gate/history/store';
import { person } from './person';
import { root, terminalReady, waitFor } from './workspace';

/** What the extension's history holds for a file now (a fresh reader of the store it points the CLI to). */
function captured(rel: string): string | undefined {
  const dir = readFileSync(join(stateDir(), 'history-location'), 'utf8').trim();
  return new HistoryRoot(dir).folder(root()).latest(rel)?.h;
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('the local history in a real VS Code', function () {
  this.timeout(180_000);
  let term: vscode.Terminal;
  before(async () => {
    await vscode.extensions.getExtension('agent-guard.agent-guard')!.activate();
    term = await terminalReady('history-agent');
  });
  after(() => term?.dispose());

  it('notices a folder a script deleted behind the gate, and Restore brings it back byte-identical', async () => {
    const dir = join(root(), 'uploads-e2e');
    mkdirSync(join(dir, 'avatars'), { recursive: true });
    const files: Record<string, Buffer> = { 'a.bin': randomBytes(40_000), 'avatars/b.png': randomBytes(1234), 'notes.txt': Buffer.from('keep me\n') };
    for (const [rel, content] of Object.entries(files)) writeFileSync(join(dir, rel), content);
    chmodSync(join(dir, 'a.bin'), 0o640);
    utimesSync(join(dir, 'notes.txt'), new Date('2021-05-06T07:08:09Z'), new Date('2021-05-06T07:08:09Z'));
    await waitFor(() => Object.entries(files).every(([rel, c]) => captured(`uploads-e2e/${rel}`) === sha(c)), 30_000, 'the history to capture the new files');

    // An absolute path inside a Python script: the gate sees only `python3 <script>`.
    const script = join(tmpdir(), `ag-e2e-zap-${process.pid}.py`);
    writeFileSync(script, `import shutil\nshutil.rmtree(${JSON.stringify(dir)})\n`);
    term.sendText(`python3 ${script}`);
    await waitFor(() => !existsSync(dir), 30_000, 'the script to delete the folder');
    // The toast may have gone by the time the page is looked at: the notification centre keeps it, with its buttons.
    await new Promise((r) => setTimeout(r, 3_000));
    await vscode.commands.executeCommand('notifications.showList');
    const seen = await person.click('.notification-list-item', 'uploads-e2e/', 'Restore', 30_000);
    assert.ok(seen.ok, seen.error);
    assert.match(seen.text ?? '', /uploads-e2e\/ — 3 files, 40\.3 KB — deleted by something that did not ask the gate/);
    await waitFor(() => Object.keys(files).every((rel) => existsSync(join(dir, rel))), 15_000, 'the files to come back');
    for (const [rel, content] of Object.entries(files)) assert.ok(readFileSync(join(dir, rel)).equals(content), rel);
    assert.equal(statSync(join(dir, 'a.bin')).mode & 0o777, 0o640);
    assert.equal(statSync(join(dir, 'notes.txt')).mtime.toISOString(), '2021-05-06T07:08:09.000Z');
    const logged = new AuditLog(auditLogPath()).tail(50).find((e) => e.rules.includes('history.unexplained-loss') && e.command.includes('uploads-e2e/a.bin'));
    assert.ok(logged, 'an audit line names the loss');
  });

  it('a file an edit tool emptied comes back from its history', async () => {
    const file = join(root(), 'src-e2e', 'service.ts');
    mkdirSync(join(root(), 'src-e2e'), { recursive: true });
    const original = Buffer.from('export const answer = 42;\n'.repeat(50));
    writeFileSync(file, original);
    await waitFor(() => captured('src-e2e/service.ts') === sha(original), 30_000, 'the history to capture the file');
    // An agent's own write tool: no command, no gate.
    writeFileSync(file, '');
    await waitFor(() => captured('src-e2e/service.ts') === sha(Buffer.alloc(0)), 30_000, 'the emptied version to be captured');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    void vscode.commands.executeCommand('agentGuard.restoreFileFromHistory');
    const pick = await person.type('');
    assert.ok(pick.ok, pick.error);
    assert.match(pick.text ?? '', /1300 bytes/);
    // The second pick (replace the emptied content, or keep it) opens in the same widget once the first has closed.
    await new Promise((r) => setTimeout(r, 1_000));
    const confirm = await person.type('');
    assert.ok(confirm.ok, confirm.error);
    await waitFor(() => readFileSync(file).equals(original), 15_000, 'the file to be restored');
  });
});
