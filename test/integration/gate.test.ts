// The gate as a person sees it, in a real VS Code: a production workspace, a terminal an agent types into,
// the approval box a person types into (with real key presses, through the harness), the files on disk.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AuditLog } from '../../src/core/audit/log';
import { auditLogPath } from '../../src/core/paths';
import { person } from './person';
import { root, terminalReady, waitFor } from './workspace';

const EXTENSION_ID = 'agent-guard.agent-guard';

function audit(): AuditLog {
  return new AuditLog(auditLogPath());
}

describe('the gate in a real VS Code', function () {
  this.timeout(180_000);
  let term: vscode.Terminal;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    term = await terminalReady('agent');
  });
  after(() => term?.dispose());

  it('shows the production label in the status bar', async () => {
    const r = await person.read('#workbench\\.parts\\.statusbar');
    assert.ok(r.ok, r.error);
    assert.match(r.text ?? '', /production/);
  });

  it('holds rm -rf in a terminal; a wrong name refuses and the folder stays', async () => {
    const data = join(root(), 'data');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'orders.csv'), 'id\n1\n');
    const before = audit().tail(1000).length;
    term.sendText('rm -rf data');
    const seen = await person.type('production/wrong');
    assert.ok(seen.ok, seen.error);
    assert.match(seen.text ?? '', /production\/data/, 'the box shows exactly what to type');
    await waitFor(() => audit().tail(1000).length > before, 20_000, 'the refusal in the audit log');
    const last = audit().tail(1)[0];
    assert.equal(last.outcome, 'refused');
    assert.equal(last.decidedBy, 'wrong-name');
    assert.ok(existsSync(join(data, 'orders.csv')), 'data is still there');
  });

  it('runs it once the person types the exact name, and logs who approved', async () => {
    const data = join(root(), 'data');
    mkdirSync(data, { recursive: true });
    term.sendText('rm -rf data');
    const r = await person.type('production/data');
    assert.ok(r.ok, r.error);
    await waitFor(() => !existsSync(data), 20_000, 'data to be deleted');
    const typed = audit().tail(20).filter((e) => e.decidedBy === 'typed' && e.command === 'rm -rf data');
    assert.ok(typed.length >= 1);
    assert.ok(typed[0].approver);
  });

  it('lets git status run untouched', async () => {
    const si = term.shellIntegration!;
    const exec = si.executeCommand('git status --short');
    const end = await new Promise<vscode.TerminalShellExecutionEndEvent>((resolve) => {
      const l = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.execution === exec) {
          l.dispose();
          resolve(e);
        }
      });
    });
    assert.notEqual(end.exitCode, 126);
  });

  it('lets VS Code report each typed command as typed, not the gate’s key binding or the line before', async () => {
    // VS Code's DEBUG trap runs for the gate's key binding too; unskipped, its report would carry `history 1`, the
    // previous line, and the typed command would not be reported at all.
    const reported: string[] = [];
    const l = vscode.window.onDidStartTerminalShellExecution((e) => {
      if (e.terminal === term) reported.push(e.execution.commandLine.value);
    });
    try {
      term.sendText('echo reported-one');
      await waitFor(() => reported.includes('echo reported-one'), 20_000, 'the first command to be reported');
      term.sendText('echo reported-two');
      await waitFor(() => reported.includes('echo reported-two'), 20_000, 'the second command to be reported');
      assert.deepEqual(
        reported.filter((c) => c.includes('agent_guard') || c === ''),
        [],
        `reports: ${JSON.stringify(reported)}`,
      );
      assert.equal(reported.filter((c) => c === 'echo reported-one').length, 1, `reports: ${JSON.stringify(reported)}`);
    } finally {
      l.dispose();
    }
  });

  it('holds what a script runs through the PATH shims (the native shim on Linux) until the name is typed', async () => {
    // The line `python3 tool.py` is allowed: what the script starts is not on it. The rm it runs finds the shim first.
    const cache = join(root(), 'cache');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(root(), 'job.txt'), 'rm -rf cache\n');
    writeFileSync(join(root(), 'tool.py'), 'import subprocess\nsubprocess.run(open("job.txt").read().split())\n');
    const link = join(root(), 'shim-link.txt');
    term.sendText('readlink "$AGENT_GUARD_DIR/bin/rm" > shim-link.txt');
    await waitFor(() => existsSync(link) && readFileSync(link, 'utf8').endsWith('\n'), 20_000, 'the shim link');
    assert.match(readFileSync(link, 'utf8'), process.platform === 'linux' ? /\/shell\/shim\n$/ : /\/shell\/shim\.sh\n$/);
    const before = audit().tail(1000).length;
    term.sendText('python3 tool.py');
    const seen = await person.type('production/wrong');
    assert.ok(seen.ok, seen.error);
    assert.match(seen.text ?? '', /cache/, 'the box names what the script deletes');
    await waitFor(() => audit().tail(1000).length > before, 20_000, 'the refusal in the audit log');
    const asked = audit()
      .tail(10)
      .filter((e) => e.source === 'exec' && e.command === 'rm -rf cache');
    assert.equal(asked.length, 1, 'the shim asked once, as a program a script ran');
    assert.equal(asked[0].outcome, 'refused');
    assert.ok(existsSync(cache), 'the folder is still there');
  });

  it('holds a task until the person approves it', async () => {
    const dir = join(root(), 'task-output');
    mkdirSync(dir, { recursive: true });
    const task = new vscode.Task({ type: 'shell', command: 'rm -rf task-output' }, vscode.TaskScope.Workspace, 'clean outputs', 'agent', new vscode.ShellExecution('rm -rf task-output', { cwd: root() }));
    const ended = new Promise<number | undefined>((resolve) => {
      const l = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.name === 'clean outputs') {
          l.dispose();
          resolve(e.exitCode);
        }
      });
    });
    await vscode.tasks.executeTask(task);
    const r = await person.type('production/task-output');
    assert.ok(r.ok, r.error);
    assert.equal(await ended, 0);
    assert.ok(!existsSync(dir));
  });

  it('cannot be approved by any command, with any arguments, while a command is held', async () => {
    const keep = join(root(), 'keep');
    mkdirSync(keep, { recursive: true });
    term.sendText('rm -rf keep');
    await waitFor(() => audit().tail(5).length > 0, 5000, 'audit');
    await new Promise((r) => setTimeout(r, 1500));
    const ours = (require(join(__dirname, '..', '..', '..', 'package.json')).contributes.commands as { command: string }[]).map((c) => c.command);
    // Commands that open a picker, an editor or a folder would take the focus from the box; they take no answer either.
    const opensUi = new Set(['agentGuard.showEnvironment', 'agentGuard.setEnvironment', 'agentGuard.toggleFreeze', 'agentGuard.showDecisions', 'agentGuard.restoreSnapshot', 'agentGuard.connectAgents', 'agentGuard.openAuditLog', 'agentGuard.openSnapshots', 'agentGuard.showOutput', 'agentGuard.showSessions', 'agentGuard.checkProtection', 'agentGuard.freeze', 'agentGuard.liftFreeze', 'agentGuard.tryIt']);
    for (const id of ours.filter((c) => !opensUi.has(c))) {
      await Promise.race([vscode.commands.executeCommand(id, 'production/keep', { approve: true, text: 'production/keep' }).then(undefined, () => undefined), new Promise((r) => setTimeout(r, 500))]);
    }
    // What another extension or an agent's "run a VS Code command" tool could try against the open box.
    await vscode.commands.executeCommand('type', { text: 'production/keep' }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem').then(undefined, () => undefined);
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(existsSync(keep), 'still held: no command approved it');
    const r = await person.press('Escape');
    assert.ok(r.ok);
    await waitFor(() => audit().tail(1)[0]?.command === 'rm -rf keep', 20_000, 'the refusal');
    assert.ok(existsSync(keep));
  });

  it('keeps a verifiable audit chain and reports a tampered line', () => {
    const log = audit();
    const v = log.verify();
    assert.equal(v.ok, true, JSON.stringify(v.broken));
    assert.ok(v.entries >= 3);
    const copy = join(root(), '..', 'tampered.jsonl');
    const lines = readFileSync(log.path, 'utf8').split('\n');
    lines[1] = lines[1].replace('"command":"', '"command":"edited ');
    writeFileSync(copy, lines.join('\n'));
    const t = new AuditLog(copy).verify();
    assert.equal(t.ok, false);
    assert.equal(t.broken?.line, 2);
  });

  it('opens the audit log read-only: a keystroke never lands in it', async () => {
    await vscode.commands.executeCommand('agentGuard.openAuditLog');
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.fsPath === audit().path, 10_000, 'the audit log editor');
    const before = readFileSync(audit().path, 'utf8');
    await vscode.commands.executeCommand('type', { text: 'typed by accident' });
    await new Promise((r) => setTimeout(r, 300));
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.isDirty, false, 'the editor took no edit');
    assert.ok(!doc.getText().includes('typed by accident'));
    assert.equal(readFileSync(audit().path, 'utf8').startsWith(before.slice(0, 200)), true);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
