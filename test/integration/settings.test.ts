// Settings that would weaken the guard are the person's alone: read from user settings in the real VS Code, whatever
// the workspace's .vscode/settings.json (agent-writable) says. Rules that only tighten add up from every level.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readConfig, readRules } from '../../src/vscode/config';
import { root } from './workspace';

const USER = vscode.ConfigurationTarget.Global;

/** Writes the workspace's settings file as an agent would, and waits until VS Code has read it. */
async function writeWorkspaceSettings(values: Record<string, unknown>, changes: string): Promise<void> {
  const read = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`VS Code did not read the workspace settings (${changes}) in 20 s`)), 20_000);
    const l = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(changes)) return;
      clearTimeout(timer);
      l.dispose();
      resolve();
    });
  });
  writeFileSync(join(root(), '.vscode', 'settings.json'), JSON.stringify(values, null, 2));
  await read;
}

describe('settings: what weakens the guard is read from user settings only', function () {
  this.timeout(60_000);
  const file = () => join(root(), '.vscode', 'settings.json');
  const userKeys = ['approval.timeoutSeconds', 'terminals.whenUnreachable', 'rules.confirm'];
  let saved: string;
  before(() => (saved = readFileSync(file(), 'utf8')));
  after(async () => {
    const cfg = vscode.workspace.getConfiguration('agentGuard');
    for (const k of userKeys) await cfg.update(k, undefined, USER);
    await writeWorkspaceSettings(JSON.parse(saved) as Record<string, unknown>, 'agentGuard.rules.confirm');
  });

  it("a workspace file that loosens changes nothing; the user's values count; confirm adds up from both", async () => {
    await writeWorkspaceSettings(
      {
        'agentGuard.environment': 'production',
        'agentGuard.approval.timeoutSeconds': 5,
        // Written as an object, as VS Code also reads them.
        'agentGuard.terminals': { enabled: false, pathShims: false, whenUnreachable: 'warn' },
        'agentGuard.rules.allow': ['fs.recursive-delete'],
        'agentGuard.rules.confirm': ['git.push'],
      },
      'agentGuard.rules.confirm',
    );
    const cfg = vscode.workspace.getConfiguration('agentGuard');
    await cfg.update('approval.timeoutSeconds', 33, USER);
    await cfg.update('rules.confirm', ['npm.publish'], USER);

    const c = readConfig();
    assert.equal(c.approvalTimeoutMs, 33_000, 'the user\'s timeout, not the workspace\'s');
    assert.equal(c.terminalsEnabled, true);
    assert.equal(c.shims, true);
    assert.equal(c.whenUnreachable, 'byEnvironment');
    assert.equal(c.requireEnvironmentInApproval, true);
    // VS Code itself leaves application-scoped values in a workspace file out (its settings editor says they cannot be
    // applied there); the reader reads user values only, so it would not take them either.
    for (const key of ['approval.timeoutSeconds', 'terminals.enabled', 'terminals.whenUnreachable', 'rules.allow']) {
      assert.equal(cfg.inspect(key)?.workspaceValue, undefined, key);
    }
    const { rules } = readRules(vscode.workspace.workspaceFolders![0].uri);
    assert.deepEqual(rules.allow, [], 'allow loosens: user settings only');
    assert.deepEqual([...(rules.confirm ?? [])].sort(), ['git.push', 'npm.publish']);
  });

  it("the user's own values are read, and one of the wrong kind is said and replaced by the default", async () => {
    const cfg = vscode.workspace.getConfiguration('agentGuard');
    await cfg.update('terminals.whenUnreachable', 'warn', USER);
    assert.equal(readConfig().whenUnreachable, 'warn');
    await cfg.update('approval.timeoutSeconds', 'soon', USER);
    const c = readConfig();
    assert.equal(c.approvalTimeoutMs, 120_000);
    assert.ok(c.problems.some((p) => p.includes('agentGuard.approval.timeoutSeconds has an invalid value "soon"')), c.problems.join('\n'));
  });
});
