// Whether the agents on this machine are protected right now, in the editor: a status-bar badge that turns red when
// an agent whose hook is installed is no longer protected (its hook gone, broken, switched off by a project, untrusted,
// or failing to run), and a command that shows the doctor's full findings.

import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { stateDir } from '../core/paths';
import { AgentStatus, doctor, formatDoctor } from '../gate/doctor';
import { showReadonly } from './readonlyDocument';

export const CHECK_PROTECTION_COMMAND = 'agentGuard.checkProtection';

export function registerProtectionStatus(log: (line: string) => void, pollMs = 60_000): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('agentGuard.protection', vscode.StatusBarAlignment.Left, 999);
  item.name = 'Agent Guard agent protection';
  item.command = CHECK_PROTECTION_COMMAND;
  item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  let warned = new Set<string>();

  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
  const statuses = (probe: boolean): Promise<AgentStatus[]> => doctor({ home: homedir(), env: process.env, stateDir: stateDir(), cwd: folder(), probe });

  const refresh = async () => {
    let unprotected: AgentStatus[];
    try {
      // A connected agent (some finding is good) that is not protected; agents never connected are not nagged about.
      unprotected = (await statuses(false)).filter((s) => !s.protected && s.findings.some((f) => f.ok));
    } catch (e) {
      log(`protection check failed: ${(e as Error).message}`);
      return;
    }
    if (!unprotected.length) {
      item.hide();
      warned = new Set();
      return;
    }
    item.text = `$(warning) ${unprotected.map((s) => s.name).join(', ')} not protected`;
    item.tooltip = unprotected.map((s) => `${s.name}: ${s.findings.filter((f) => !f.ok).map((f) => f.text).join('; ')}`).join('\n');
    item.accessibilityInformation = { label: `Agent Guard: ${unprotected.map((s) => s.name).join(', ')} not protected` };
    item.show();
    const fresh = unprotected.filter((s) => !warned.has(s.agent));
    for (const s of fresh) warned.add(s.agent);
    if (fresh.length) void vscode.window.showWarningMessage(`Agent Guard: ${fresh.map((s) => s.name).join(', ')} ${fresh.length === 1 ? 'is' : 'are'} no longer protected: ${fresh[0].findings.filter((f) => !f.ok)[0]?.text ?? ''}`, 'Details').then((a) => a && vscode.commands.executeCommand(CHECK_PROTECTION_COMMAND));
  };

  const show = async () => {
    const text = formatDoctor(await statuses(true));
    await showReadonly('Agent Guard protection.txt', `Agent Guard — agent protection (agent-guard doctor)\n\n${text}`);
    void refresh();
  };

  void refresh();
  const timer = setInterval(() => void refresh(), pollMs);
  return [item, { dispose: () => clearInterval(timer) }, vscode.commands.registerCommand(CHECK_PROTECTION_COMMAND, show)];
}
