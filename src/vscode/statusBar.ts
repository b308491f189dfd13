// The environment label in the status bar: red for production, amber for staging, quiet for development.

import * as vscode from 'vscode';
import type { AuditLog } from '../core/audit/log';
import type { EnvironmentService } from './environment';
import { folderLabelText } from './environmentText';

export const SHOW_ENVIRONMENT_COMMAND = 'agentGuard.showEnvironment';

export function createStatusBar(env: EnvironmentService, audit: AuditLog): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('agentGuard.environment', vscode.StatusBarAlignment.Left, 1000);
  item.name = 'Agent Guard environment';
  item.command = SHOW_ENVIRONMENT_COMMAND;
  const render = () => {
    const tier = env.strictest();
    const frozen = env.frozen;
    const pending = env.list().some((f) => f.pending);
    const logFailing = !audit.status.ok;
    item.text = `$(shield) ${tier}${frozen ? ' $(lock) frozen' : ''}${pending ? ' $(warning)' : ''}${logFailing ? ' $(error) audit log failing' : ''}`;
    item.backgroundColor =
      tier === 'production' || frozen || logFailing ? new vscode.ThemeColor('statusBarItem.errorBackground') : tier === 'staging' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    // The same words as the menu: where the label comes from, never "set in settings" beside "no signal found".
    const lines = env.list().map((f) => {
      const t = folderLabelText({ ...f, name: f.folder.name });
      return `**${f.folder.name}**: ${f.tier} — ${t.description}${t.detail ? `. ${t.detail}` : ''}`;
    });
    item.tooltip = new vscode.MarkdownString(
      [
        `Agent Guard holds destructive commands until a person types the resource's name.`,
        logFailing ? `**The audit log cannot be written** since ${audit.status.since}: ${audit.status.error}. In production and staging, commands are refused until it works again.` : '',
        ...lines, frozen ? 'Freeze is on: every command that changes state is held.' : '', 'Click to change or see evidence.'].filter(Boolean).join('\n\n'),
    );
    // Screen readers read this instead of the codicons and the markdown tooltip.
    item.accessibilityInformation = {
      label: `Agent Guard: ${tier}${frozen ? ', frozen' : ''}${pending ? ', a settings change waits for a person' : ''}${logFailing ? ', audit log failing' : ''}. Opens the environment and actions.`,
      role: 'button',
    };
    item.show();
  };
  render();
  const health = audit.onHealthChange((h) => {
    render();
    if (!h.ok) void vscode.window.showErrorMessage(`Agent Guard: the audit log cannot be written (${h.error}). In production and staging, commands are refused until it works again.`);
    else void vscode.window.showInformationMessage('Agent Guard: the audit log works again.');
  });
  return [item, env.onDidChange(render), health];
}
