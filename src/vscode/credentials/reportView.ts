// The "Credential report" tree: files (and the terminal environment), the credentials in each, and under each
// credential what it can do and what to use instead.

import * as vscode from 'vscode';
import { findingCode, type CredentialFinding } from '../../core/credentials';

export const REPORT_VIEW = 'agentGuard.credentials';

export interface FolderReport {
  name: string;
  uri: vscode.Uri;
  /** Workspace-relative path -> findings. */
  byFile: ReadonlyMap<string, readonly CredentialFinding[]>;
}

export type ReportNode =
  | { kind: 'folder'; folder: FolderReport }
  | { kind: 'file'; folder?: FolderReport; file: string; findings: readonly CredentialFinding[] }
  | { kind: 'environment'; findings: readonly CredentialFinding[] }
  | { kind: 'finding'; finding: CredentialFinding; uri?: vscode.Uri }
  | { kind: 'detail'; label: string; icon: string };

export class CredentialReportView implements vscode.TreeDataProvider<ReportNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ReportNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private folders: readonly FolderReport[] = [];
  private environment: readonly CredentialFinding[] = [];
  private stripped: ReadonlySet<string> = new Set();

  update(folders: readonly FolderReport[], environment: readonly CredentialFinding[], stripped: ReadonlySet<string>): void {
    this.folders = folders;
    this.environment = environment;
    this.stripped = stripped;
    this.emitter.fire(undefined);
  }

  /** How many credentials the report shows (for the view's badge). */
  count(): number {
    let n = this.environment.filter((f) => !this.stripped.has(f.variable ?? '')).length;
    for (const folder of this.folders) for (const list of folder.byFile.values()) n += list.length;
    return n;
  }

  getChildren(node?: ReportNode): ReportNode[] {
    if (!node) {
      const top: ReportNode[] =
        this.folders.length === 1 ? filesOf(this.folders[0]) : this.folders.filter((f) => f.byFile.size).map((folder) => ({ kind: 'folder', folder }));
      if (this.environment.length) top.push({ kind: 'environment', findings: this.environment });
      return top;
    }
    switch (node.kind) {
      case 'folder':
        return filesOf(node.folder);
      case 'file':
        return node.findings.map((finding) => ({ kind: 'finding', finding, uri: node.folder && vscode.Uri.joinPath(node.folder.uri, ...node.file.split('/')) }));
      case 'environment':
        return node.findings.map((finding) => ({ kind: 'finding', finding }));
      case 'finding':
        return [
          { kind: 'detail', label: `Can: ${node.finding.capability}`, icon: 'warning' },
          { kind: 'detail', label: `Instead: ${node.finding.suggestion}`, icon: 'lightbulb' },
        ];
      default:
        return [];
    }
  }

  getTreeItem(node: ReportNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('root-folder');
        item.description = plural([...node.folder.byFile.values()].reduce((n, l) => n + l.length, 0), 'credential');
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.file, vscode.TreeItemCollapsibleState.Expanded);
        if (node.folder) item.resourceUri = vscode.Uri.joinPath(node.folder.uri, ...node.file.split('/'));
        item.description = plural(node.findings.length, 'credential');
        item.iconPath = vscode.ThemeIcon.File;
        return item;
      }
      case 'environment': {
        const item = new vscode.TreeItem('Terminal environment', vscode.TreeItemCollapsibleState.Expanded);
        item.iconPath = new vscode.ThemeIcon('terminal');
        item.description = plural(node.findings.length, 'variable');
        item.tooltip = 'Variables guarded terminals inherit from the editor. List names in agentGuard.credentials.stripFromTerminals to keep them out.';
        return item;
      }
      case 'finding':
        return findingItem(node.finding, node.uri, this.stripped);
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.label;
        return item;
      }
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

function filesOf(folder: FolderReport): ReportNode[] {
  return [...folder.byFile.entries()]
    .filter(([, findings]) => findings.length)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, findings]) => ({ kind: 'file', folder, file, findings }));
}

function findingItem(f: CredentialFinding, uri: vscode.Uri | undefined, stripped: ReadonlySet<string>): vscode.TreeItem {
  const item = new vscode.TreeItem(f.label, vscode.TreeItemCollapsibleState.Collapsed);
  const isStripped = f.source === 'environment' && !!f.variable && stripped.has(f.variable);
  const where = f.source === 'environment' ? `$${f.variable}` : `line ${f.line}${f.variable ? ` · ${f.variable}` : ''}`;
  item.description = `${where} · ${f.masked}${isStripped ? ' · stripped from guarded terminals' : ''}`;
  item.iconPath = new vscode.ThemeIcon(isStripped ? 'pass' : 'key', isStripped ? undefined : new vscode.ThemeColor('problemsWarningIcon.foreground'));
  const tip = new vscode.MarkdownString();
  tip.appendMarkdown(`**${escape(f.label)}** \`${escape(findingCode(f))}\`\n\n`);
  tip.appendMarkdown(`${escape(f.capability)}\n\n*Instead:* ${escape(f.suggestion)}`);
  item.tooltip = tip;
  item.contextValue = 'agentGuard.credential';
  if (uri) {
    const range = new vscode.Range(f.line - 1, f.column - 1, f.endLine - 1, f.endColumn - 1);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: range } satisfies vscode.TextDocumentShowOptions] };
  }
  return item;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]<>()#+!|]/g, '\\$&');
}
