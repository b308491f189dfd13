// What a person sees, read off the screen of a real VS Code: the approval box's title, the line under its input and
// the hint inside it; and the terminal's text for a held, a refused and an approved command.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { AGENT_IDS, AGENT_NAMES } from '../../src/core/agents/ids';
import { hookFilePath, isConnected } from '../../src/core/agents/hookConfig';
import { agentFound } from '../../src/gate/doctor';
import { person } from './person';
import { root, terminalReady, waitFor } from './workspace';

const EXTENSION_ID = 'agent-guard.agent-guard';

interface BoxParts {
  title: string;
  message: string;
  placeholder: string;
}

async function box(): Promise<BoxParts> {
  const r = await person.box();
  assert.ok(r.ok, r.error);
  return JSON.parse(r.text!) as BoxParts;
}

/** The terminal's rows once `ok` holds for them (the shell prints asynchronously). */
async function screenUntil(ok: (text: string) => boolean, what: string): Promise<string> {
  let text = '';
  const end = Date.now() + 20_000;
  while (Date.now() < end) {
    const r = await person.terminal();
    assert.ok(r.ok, r.error);
    // The panel wraps long lines into rows: read them joined, as the line the shell printed.
    text = (r.text ?? '').replace(/\n/g, '');
    if (ok(text)) return text;
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error(`the terminal never showed ${what}; it shows:\n${text}`);
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The rows of the quick pick that just opened. */
async function pickRows(until: string[] = []): Promise<string> {
  const r = await person.list(until);
  assert.ok(r.ok, r.error);
  return r.text ?? '';
}

describe('what a person sees in a real VS Code', function () {
  this.timeout(180_000);
  let term: vscode.Terminal;
  // A pick or box a failed test left open would stand in front of the next test's.
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await person.press('Escape');
  });

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    term = await terminalReady('seen');
  });
  after(() => term?.dispose());

  it('the approval box: a title in words, the name first under the input and inside it, the time left', async () => {
    mkdirSync(join(root(), 'reports'), { recursive: true });
    writeFileSync(join(root(), 'reports', 'q3.csv'), 'x\n');
    term.show();
    term.sendText('rm -rf reports');
    const b = await box();
    assert.equal(b.title, 'Agent Guard (production): Deletes a folder and everything in it, with no trash to restore from');
    assert.ok(b.message.startsWith('Type production/reports to run: rm -rf reports'), b.message);
    assert.match(b.message, /Rule: fs\.recursive-delete\. Refused in \d:\d\d if unanswered\./);
    // VS Code appends its own hint to the line; the name comes first, never inside or after it.
    const hint = b.message.indexOf("(Press 'Enter'");
    assert.ok(hint === -1 || b.message.indexOf('production/reports') < hint, JSON.stringify(b));
    assert.equal(b.placeholder, 'Type production/reports to run it — Escape refuses');
    const shot = process.env.AGENT_GUARD_SCREENSHOTS;
    if (shot) assert.ok((await person.screenshot(join(shot, 'approval.png'))).ok);

    // Held: the command stays on screen while the box waits.
    const held = await screenUntil((t) => /held by Agent Guard/.test(t), 'the held line');
    assert.match(held, /rm -rf reports/);
    assert.match(held, /fs\.recursive-delete/);

    const r = await person.type('production/nope');
    assert.ok(r.ok, r.error);
    const refused = await screenUntil((t) => /refused \(the typed name did not match\)/.test(t), "the refusal");
    assert.match(refused, /\$ rm -rf reports|rm -rf reports/);
    assert.match(refused, /rm -rf reports\s*refused \(the typed name did not match\) — fs\.recursive-delete/);
    assert.ok(existsSync(join(root(), 'reports', 'q3.csv')));
  });

  it('approved: the command, and the verdict line naming who typed what and the rule', async () => {
    term.sendText('rm -rf reports');
    const r = await person.type('production/reports');
    assert.ok(r.ok, r.error);
    await waitFor(() => !existsSync(join(root(), 'reports')), 20_000, 'reports to be deleted');
    const t = await screenUntil((x) => /approved by .* \(typed "production\/reports"\) — fs\.recursive-delete/.test(x), 'the approval');
    assert.match(t, /rm -rf reports/);
  });

  it('refused outright: the command and the rule that refused it stay on screen', async () => {
    term.sendText('rm -rf ~');
    const t = await screenUntil((x) => /refused by Agent Guard — fs\.recursive-delete/.test(x), 'the refusal');
    assert.match(t.slice(t.lastIndexOf('rm -rf ~')), /refused by Agent Guard — fs\.recursive-delete/);
  });

  it('the status-bar menu: where the label comes from without contradiction, and Restore, Scan, Connect, Check', async () => {
    void vscode.commands.executeCommand('agentGuard.showEnvironment');
    const text = await pickRows(['workspace: production', 'Show recent decisions']);
    assert.match(text, /workspace: production/);
    assert.match(text, /set in settings \(agentGuard\.environment\)/);
    assert.doesNotMatch(text, /no environment signal/);
    assert.doesNotMatch(text, /Label workspace/, 'a labelled folder is not offered a label');
    if (process.env.AGENT_GUARD_SCREENSHOTS) assert.ok((await person.screenshot(join(process.env.AGENT_GUARD_SCREENSHOTS, 'menu.png'))).ok);
    for (const entry of ['Restore deleted files from history…', 'Scan for credentials', 'Connect agents…', 'Check which agents are protected', 'Show recent decisions']) assert.ok(text.includes(entry), `${entry} in:\n${text}`);
    assert.ok((await person.press('Escape')).ok);
  });

  it('Connect agents: each agent says whether it is installed here and connected; the command is the stable launcher', async () => {
    void vscode.commands.executeCommand('agentGuard.connectAgents');
    const text = await pickRows(AGENT_IDS.map((a) => AGENT_NAMES[a]));
    const b = await box();
    assert.match(b.placeholder, /^Checked agents run \S*agent-guard\S* hook <agent> before each tool call$/);
    assert.ok(!b.placeholder.includes(process.execPath), 'not a versioned Node binary');
    assert.ok(!b.placeholder.includes('dist/cli.js'), "not the extension's own folder");
    if (process.env.AGENT_GUARD_SCREENSHOTS) assert.ok((await person.screenshot(join(process.env.AGENT_GUARD_SCREENSHOTS, 'connect.png'))).ok);
    for (const agent of AGENT_IDS) {
      const line = text.split('\n').find((l) => l.startsWith(AGENT_NAMES[agent]));
      assert.ok(line, `${AGENT_NAMES[agent]} listed in:\n${text}`);
      assert.match(line!, agentFound(agent, homedir(), process.env) ? /installed · / : /not found on this machine · /);
      assert.match(line!, /· (connected|not connected)/);
    }
    assert.ok((await person.press('Escape')).ok);
  });

  it('Connect agents previews the change read-only, with the launcher, and writes nothing unconfirmed', async function () {
    const target = AGENT_IDS.find((a) => !isConnected(a, readOrNull(hookFilePath(a, { kind: 'user', home: homedir(), env: process.env }))));
    if (!target) return this.skip();
    const file = hookFilePath(target, { kind: 'user', home: homedir(), env: process.env });
    const before = readOrNull(file);
    void vscode.commands.executeCommand('agentGuard.connectAgents');
    await pickRows();
    assert.ok((await person.check(AGENT_NAMES[target])).ok);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'agent-guard-view', 20_000, 'the preview');
    const doc = vscode.window.activeTextEditor!.document;
    assert.equal(doc.isUntitled, false);
    assert.match(doc.getText(), new RegExp(`# ${AGENT_NAMES[target]} — `));
    assert.match(doc.getText(), /agent-guard[^"\s]*\\?" hook /, 'the hook runs the launcher');
    assert.ok(!doc.getText().includes(process.execPath), 'not a versioned Node binary');
    // The confirmation is a modal dialog, which this test host refuses to show: nothing may be written without it.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(readOrNull(file), before);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.isUntitled).length, 0);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('Check which agents are protected opens a read-only report, not an Untitled file that asks to be saved', async () => {
    await vscode.commands.executeCommand('agentGuard.checkProtection');
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'agent-guard-view', 20_000, 'the report');
    const doc = vscode.window.activeTextEditor!.document;
    assert.match(doc.getText(), /agent-guard doctor/);
    assert.equal(doc.isUntitled, false);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.isUntitled).length, 0);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('the walkthrough\'s "Try it": a terminal in a throwaway folder with rm -rf typed; Enter holds it for the name', async () => {
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const l = vscode.window.onDidOpenTerminal((t) => t.name === 'Agent Guard: try it' && (l.dispose(), resolve(t)));
    });
    await vscode.commands.executeCommand('agentGuard.tryIt');
    const t = await opened;
    try {
      await screenUntil((x) => /rm -rf scratch$/.test(x.trimEnd()), 'the typed, not yet run, command');
      assert.ok((await person.press('Enter')).ok);
      const b = await box();
      assert.match(b.message, /^Type production\/scratch to run: rm -rf scratch/);
      assert.ok((await person.press('Escape')).ok);
      await screenUntil((x) => /rm -rf scratch\s*refused/.test(x), 'the refusal');
    } finally {
      t.dispose();
    }
  });

  it('Show recent decisions opens the chosen one in words, read-only', async () => {
    void vscode.commands.executeCommand('agentGuard.showDecisions');
    await pickRows();
    assert.ok((await person.press('Enter')).ok);
    await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'agent-guard-view', 20_000, 'the decision');
    const text = vscode.window.activeTextEditor!.document.getText();
    assert.match(text, /^Agent Guard — one decision from the audit log/);
    assert.match(text, /\nCommand: +\S/);
    assert.match(text, /\nOutcome: +(ran|refused|approved)/);
    assert.doesNotMatch(text, /^\s*[{"]/m, 'not raw JSON');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
