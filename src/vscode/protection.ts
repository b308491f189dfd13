// Whether the agents on this machine are protected right now, in the editor: a status-bar badge that turns red when
// an agent whose hook is installed is no longer protected (its hook gone, broken, switched off by a project, untrusted,
// or failing to run) or a terminal whose shell had the line gate no longer has it in front (a command started there
// without passing it), and a command that shows the doctor's full findings with each terminal's line gate.

import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { stateDir } from '../core/paths';
import { AgentStatus, doctor, formatDoctor } from '../gate/doctor';
import { showReadonly } from './readonlyDocument';
import { formatTerminals, type TerminalReport } from '../gate/shells';

export const CHECK_PROTECTION_COMMAND = 'agentGuard.checkProtection';
/** Re-checks at once (the badge otherwise refreshes every minute); internal, not in the Command Palette. */
export const REFRESH_PROTECTION_COMMAND = 'agentGuard.refreshProtection';

export function registerProtectionStatus(log: (line: string) => void, terminals: () => Promise<TerminalReport[]> = async () => [], pollMs = 60_000): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('agentGuard.protection', vscode.StatusBarAlignment.Left, 999);
  item.name = 'Agent Guard agent protection';
  item.command = CHECK_PROTECTION_COMMAND;
  item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  let warned = new Set<string>();

  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
  const statuses = (probe: boolean): Promise<AgentStatus[]> => doctor({ home: homedir(), env: process.env, stateDir: stateDir(), cwd: folder(), probe });

  const refresh = async () => {
    // A connected agent (some finding is good) that is not protected; agents never connected are not nagged about.
    // A terminal counts once its shell had the gate and lost it; terminals that never had it are listed in the view.
    const problems: { key: string; name: string; why: string }[] = [];
    try {
      for (const s of await statuses(false)) if (!s.protected && s.findings.some((f) => f.ok)) problems.push({ key: s.agent, name: s.name, why: s.findings.filter((f) => !f.ok).map((f) => f.text).join('; ') });
      for (const t of await terminals()) if (t.state === 'lost') problems.push({ key: `terminal:${t.pid}`, name: `terminal "${t.name}"`, why: t.detail });
    } catch (e) {
      log(`protection check failed: ${(e as Error).message}`);
      return;
    }
    if (!problems.length) {
      item.hide();
      warned = new Set();
      return;
    }
    const names = problems.map((p) => p.name).join(', ');
    item.text = `$(warning) ${names} not protected`;
    item.tooltip = problems.map((p) => `${p.name}: ${p.why}`).join('\n');
    item.accessibilityInformation = { label: `Agent Guard: ${names} not protected` };
    item.show();
    const fresh = problems.filter((p) => !warned.has(p.key));
    for (const p of fresh) warned.add(p.key);
    if (fresh.length) void vscode.window.showWarningMessage(`Agent Guard: ${fresh.map((p) => p.name).join(', ')} ${fresh.length === 1 ? 'is' : 'are'} no longer protected: ${fresh[0].why}`, 'Details').then((a) => a && vscode.commands.executeCommand(CHECK_PROTECTION_COMMAND));
  };

  const show = async () => {
    const text = formatDoctor(await statuses(true)) + '\n' + formatTerminals('this window', await terminals());
    await showReadonly('Agent Guard protection.txt', `Agent Guard — agent protection (agent-guard doctor)\n\n${text}`);
    void refresh();
  };

  void refresh();
  const timer = setInterval(() => void refresh(), pollMs);
  // A terminal whose shell changes (`exec sh`) or closes is re-checked at once, not at the next poll.
  let soon: NodeJS.Timeout | undefined;
  const recheck = () => {
    clearTimeout(soon);
    soon = setTimeout(() => void refresh(), 500);
  };
  return [
    item,
    { dispose: () => (clearInterval(timer), clearTimeout(soon)) },
    vscode.window.onDidChangeTerminalState(recheck),
    vscode.window.onDidCloseTerminal(recheck),
    vscode.commands.registerCommand(CHECK_PROTECTION_COMMAND, show),
    vscode.commands.registerCommand(REFRESH_PROTECTION_COMMAND, refresh),
  ];
}
