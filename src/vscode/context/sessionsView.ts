// The "Agent sessions" tree: workspace folders, their agent sessions, and each session's figures.

import * as vscode from 'vscode';
import { SOURCE_LABELS, formatAge, formatTokens, isWithin, shortId, type Assessment, type SessionMeter } from '../../core/context';
import { meterText, meterTooltip } from './statusBar';

export const SESSIONS_VIEW = 'agentGuard.sessions';

export type SessionNode =
  | { kind: 'folder'; name: string; path?: string; sessions: SessionRow[] }
  | { kind: 'session'; row: SessionRow }
  | { kind: 'detail'; label: string; description?: string };

export interface SessionRow {
  meter: SessionMeter;
  assessment: Assessment;
}

export class SessionsView implements vscode.TreeDataProvider<SessionNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SessionNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private rows: SessionRow[] = [];
  private folders: readonly vscode.WorkspaceFolder[] = [];

  update(rows: SessionRow[], folders: readonly vscode.WorkspaceFolder[]): void {
    this.rows = rows;
    this.folders = folders;
    this.emitter.fire(undefined);
  }

  getChildren(node?: SessionNode): SessionNode[] {
    if (!node) {
      const groups: SessionNode[] = [];
      const claimed = new Set<SessionRow>();
      for (const f of this.folders) {
        const sessions = this.rows.filter((r) => !claimed.has(r) && r.meter.cwd !== undefined && isWithin(r.meter.cwd, f.uri.fsPath));
        sessions.forEach((r) => claimed.add(r));
        groups.push({ kind: 'folder', name: f.name, path: f.uri.fsPath, sessions });
      }
      const rest = this.rows.filter((r) => !claimed.has(r));
      if (rest.length) groups.push({ kind: 'folder', name: this.folders.length ? 'Other' : 'Sessions', sessions: rest });
      // One folder: list its sessions directly.
      if (groups.length === 1) return groups[0].kind === 'folder' ? groups[0].sessions.map((row) => ({ kind: 'session', row })) : [];
      return groups;
    }
    if (node.kind === 'folder') return node.sessions.map((row) => ({ kind: 'session', row }));
    if (node.kind === 'session') return details(node.row.meter);
    return [];
  }

  getTreeItem(node: SessionNode): vscode.TreeItem {
    const now = Date.now();
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.sessions.length} session${node.sessions.length === 1 ? '' : 's'}`;
      item.tooltip = node.path;
      item.iconPath = new vscode.ThemeIcon('root-folder');
      return item;
    }
    if (node.kind === 'detail') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.description;
      return item;
    }
    const { meter: m, assessment: a } = node.row;
    const item = new vscode.TreeItem(`${SOURCE_LABELS[m.source]} · ${m.title ?? shortId(m.sessionId)}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${m.source}:${m.sessionId}:${m.file ?? ''}`;
    item.description = meterText(m, now);
    item.tooltip = meterTooltip(m, now, a.level, a.reasons);
    item.contextValue = 'agentGuard.session';
    item.iconPath =
      a.level === 'firm'
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'))
        : a.level === 'gentle'
          ? new vscode.ThemeIcon('info')
          : new vscode.ThemeIcon('comment-discussion');
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function details(m: SessionMeter): SessionNode[] {
  const d = (label: string, description?: string): SessionNode => ({ kind: 'detail', label, description });
  const out = [d('Context', `${m.contextTokens.toLocaleString('en-US')} tokens (${m.basis})`)];
  if (m.contextWindow) out.push(d('Window', `${formatTokens(m.contextWindow)} — ${Math.round((m.contextTokens / m.contextWindow) * 100)}% used`));
  if (m.model) out.push(d('Model', m.model));
  if (m.startedAt !== undefined) out.push(d('Age', formatAge(Date.now() - m.startedAt)));
  if (m.lastActivity !== undefined) out.push(d('Last activity', `${formatAge(Date.now() - m.lastActivity)} ago`));
  out.push(d('Messages', String(m.messages)), d('Commands', String(m.commands)));
  if (m.compactions) out.push(d('Compactions', String(m.compactions)));
  if (m.malformedLines) out.push(d('Unreadable lines', String(m.malformedLines)));
  if (m.cwd) out.push(d('Folder', m.cwd));
  out.push(d('Session', m.sessionId));
  if (m.file) out.push(d('Transcript', m.file));
  return out;
}
