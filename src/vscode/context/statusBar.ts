// The status-bar meter for the active agent session: tokens, share of the window, age, commands run.

import * as vscode from 'vscode';
import { SOURCE_LABELS, formatAge, formatTokens, shortId, type NudgeLevel, type SessionMeter } from '../../core/context';

export const SHOW_SESSIONS_COMMAND = 'agentGuard.showSessions';

export function meterText(m: SessionMeter, now: number): string {
  const parts = [`${m.basis === 'estimated' ? '~' : ''}${formatTokens(m.contextTokens)}`];
  if (m.contextWindow) parts[0] += ` (${Math.round((m.contextTokens / m.contextWindow) * 100)}%)`;
  if (m.startedAt !== undefined) parts.push(formatAge(now - m.startedAt));
  if (m.commands) parts.push(`${m.commands} cmd${m.commands === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export function meterTooltip(m: SessionMeter, now: number, level: NudgeLevel, reasons: string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${SOURCE_LABELS[m.source]}** session \`${shortId(m.sessionId)}\`${m.title ? ` — ${escape(m.title)}` : ''}\n\n`);
  const basis = m.basis === 'recorded' ? 'from the usage the agent recorded' : m.basis === 'estimated' ? 'estimated with gpt-tokenizer (o200k_base)' : 'nothing recorded yet';
  md.appendMarkdown(`- Context: ${m.contextTokens.toLocaleString('en-US')} tokens (${basis})\n`);
  if (m.contextWindow) md.appendMarkdown(`- Window: ${m.contextWindow.toLocaleString('en-US')} tokens${m.model ? ` (${escape(m.model)})` : ''}\n`);
  else if (m.model) md.appendMarkdown(`- Model: ${escape(m.model)}\n`);
  if (m.startedAt !== undefined) md.appendMarkdown(`- Age: ${formatAge(now - m.startedAt)}\n`);
  md.appendMarkdown(`- Messages: ${m.messages}, commands: ${m.commands}${m.compactions ? `, compactions: ${m.compactions}` : ''}\n`);
  if (m.cwd) md.appendMarkdown(`- Folder: ${escape(m.cwd)}\n`);
  if (level !== 'none') md.appendMarkdown(`\n$(warning) Consider a fresh session: ${reasons.map(escape).join(', ')}.\n`);
  md.appendMarkdown(`\nClick to show all agent sessions.`);
  return md;
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

export class ContextStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem('agentGuard.contextMeter', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Agent Guard: context meter';
    this.item.command = SHOW_SESSIONS_COMMAND;
  }

  show(m: SessionMeter | undefined, level: NudgeLevel, reasons: string[], now = Date.now()): void {
    if (!m) {
      this.item.hide();
      return;
    }
    const icon = level === 'firm' ? '$(warning)' : level === 'gentle' ? '$(info)' : '$(pulse)';
    this.item.text = `${icon} ${meterText(m, now)}`;
    this.item.tooltip = meterTooltip(m, now, level, reasons);
    this.item.backgroundColor = level === 'firm' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `${SOURCE_LABELS[m.source]} session context: ${m.contextTokens} tokens${level !== 'none' ? `, ${reasons.join(', ')}` : ''}` };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
