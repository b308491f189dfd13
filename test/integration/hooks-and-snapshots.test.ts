// An agent's own hook waiting on this window, and a deleted file coming back — as a person sees them.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { person } from './person';
import { root } from './workspace';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Runs `agent-guard hook claude` as Claude Code would: its PreToolUse JSON on stdin. */
function claudeHook(command: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'hook', 'claude'], { cwd: root(), env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(
      JSON.stringify({
        session_id: 'e2e-session',
        transcript_path: '/tmp/none.jsonl',
        cwd: root(),
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command, description: 'Clear the generated reports before rebuilding' },
      }),
    );
  });
}

async function waitFor(ok: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('agent hooks and snapshots in a real VS Code', function () {
  this.timeout(120_000);
  before(async () => {
    await vscode.extensions.getExtension('agent-guard.agent-guard')!.activate();
  });

  it("holds a Claude Code tool call until the person types the name, and refuses a wrong one", async () => {
    const hook = claudeHook('rm -rf reports');
    const seen = await person.type('production/wrong');
    assert.ok(seen.ok, seen.error);
    assert.match(seen.text ?? '', /production\/reports/);
    assert.match(seen.text ?? '', /Clear the generated reports/, "the box shows the agent's stated reason");
    const refused = await hook;
    assert.equal(refused.code, 0);
    assert.equal(JSON.parse(refused.out).hookSpecificOutput.permissionDecision, 'deny');

    const again = claudeHook('rm -rf reports');
    assert.ok((await person.type('production/reports')).ok);
    const allowed = await again;
    assert.equal(JSON.parse(allowed.out).hookSpecificOutput.permissionDecision, 'allow');
  });

  it('snapshots a file a workspace edit deletes, and the restore command puts it back', async () => {
    const dir = join(root(), 'notes');
    const file = join(dir, 'plan.md');
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, 'the plan\n');
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(vscode.Uri.file(dir), { recursive: true });
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(!existsSync(file));
    void vscode.commands.executeCommand('agentGuard.restoreSnapshot');
    assert.ok((await person.type('')).ok, 'pick the newest snapshot');
    assert.ok((await person.type('')).ok, 'restore every file in it');
    await waitFor(() => existsSync(file), 15_000, 'the file to come back');
    assert.equal(readFileSync(file, 'utf8'), 'the plan\n');
  });
});
