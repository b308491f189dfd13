// Credential exposure in the editor: Problems-panel warnings, the "Credential report" view, the scan command, a
// re-scan of each saved file, and the names guarded terminals must not inherit. The scanning is core/credentials.

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createCredentialScanner, DEFAULT_SKIP_DIRECTORIES, scanEnvironment, scanWorkspace, type CredentialFinding, type ScanResult } from '../../core/credentials';
import { onDidChangeCredentialSettings, readCredentialSettings, terminalVariablesToStrip } from './config';
import { showFindings } from './diagnostics';
import { CredentialReportView, REPORT_VIEW, type FolderReport } from './reportView';

export const SCAN_COMMAND = 'agentGuard.credentials.scan';
export { terminalVariablesToStrip } from './config';
export { REPORT_VIEW } from './reportView';

export interface CredentialsDeps {
  /** Internal errors and scan summaries (the Output channel). */
  log?: (message: string) => void;
  /** The environment guarded terminals inherit (default: the extension host's). */
  env?: NodeJS.ProcessEnv;
  /** Told after every scan, with every finding (workspace and environment): the gate rule's input. */
  onDidScan?: (findings: readonly CredentialFinding[]) => void;
  /** Seams for tests. */
  scan?: typeof scanWorkspace;
  folders?: () => readonly vscode.WorkspaceFolder[];
}

export function registerCredentials(_context: vscode.ExtensionContext, deps: CredentialsDeps = {}): vscode.Disposable[] {
  const log = deps.log ?? (() => undefined);
  const env = deps.env ?? process.env;
  const scan = deps.scan ?? scanWorkspace;
  const folders = deps.folders ?? (() => vscode.workspace.workspaceFolders ?? []);
  const scanner = createCredentialScanner();
  const diagnostics = vscode.languages.createDiagnosticCollection('agentGuard.credentials');
  const view = new CredentialReportView();
  const tree = vscode.window.createTreeView(REPORT_VIEW, { treeDataProvider: view, showCollapseAll: true });
  const reports = new Map<string, { folder: vscode.WorkspaceFolder; byFile: Map<string, CredentialFinding[]> }>();
  let environment: CredentialFinding[] = [];
  let running: AbortController | undefined;

  function publish(): void {
    const list: FolderReport[] = [...reports.values()].map(({ folder, byFile }) => ({ name: folder.name, uri: folder.uri, byFile }));
    view.update(list, environment, new Set(terminalVariablesToStrip(undefined, env).names));
    const n = view.count();
    tree.badge = n ? { value: n, tooltip: `${n} credential${n === 1 ? '' : 's'} an agent here can read` } : undefined;
    // Before the first scan the view is empty and shows its welcome text (package.json viewsWelcome).
    tree.message = reports.size && !n ? 'The last scan found no credentials.' : undefined;
    deps.onDidScan?.([...[...reports.values()].flatMap((r) => [...r.byFile.values()].flat()), ...environment]);
  }

  async function scanAll(): Promise<void> {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    const { respectGitignore } = readCredentialSettings();
    const open = new Set(folders().map((f) => f.uri.toString()));
    for (const [key, { folder }] of reports) {
      if (open.has(key)) continue;
      showFindings(diagnostics, folder.uri, new Map());
      reports.delete(key);
    }
    await vscode.window.withProgress({ location: { viewId: REPORT_VIEW }, title: 'Scanning for credentials' }, async () => {
      for (const folder of folders().filter((f) => f.uri.scheme === 'file')) {
        let result: ScanResult;
        try {
          result = await scan(folder.uri.fsPath, { respectGitignore, signal: controller.signal }, scanner);
        } catch (e) {
          if (controller.signal.aborted) return;
          log(`credential scan of ${folder.uri.fsPath} failed: ${(e as Error).stack ?? e}`);
          continue;
        }
        const byFile = new Map<string, CredentialFinding[]>();
        for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
        reports.set(folder.uri.toString(), { folder, byFile });
        showFindings(diagnostics, folder.uri, byFile);
        const s = result.stats;
        log(`credential scan of ${folder.name}: ${result.findings.length} found in ${s.filesScanned} files, ${(s.durationMs / 1000).toFixed(1)} s`);
      }
      environment = await scanEnvironment(env, scanner);
      if (running === controller) publish();
    });
  }

  /** A saved file is re-read alone, so the Problems panel follows edits without a full scan. */
  async function rescanDocument(doc: vscode.TextDocument): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const report = folder && reports.get(folder.uri.toString());
    if (!folder || !report || doc.uri.scheme !== 'file') return;
    const rel = path.relative(folder.uri.fsPath, doc.uri.fsPath).split(path.sep).join('/');
    // The same bounds as the full scan: inside the folder, not through a link, not in node_modules or .git.
    if (rel.startsWith('..') || rel.split('/').some((part) => DEFAULT_SKIP_DIRECTORIES.includes(part)) || isSymbolicLink(doc.uri.fsPath)) return;
    const findings = await scanner.scanText(doc.getText(), rel);
    if (findings.length) report.byFile.set(rel, findings);
    else report.byFile.delete(rel);
    showFindings(diagnostics, folder.uri, report.byFile);
    publish();
  }

  const run = (what: Promise<void>): void => {
    what.catch((e: unknown) => log(`credential scan failed: ${(e as Error).stack ?? e}`));
  };

  const disposables: vscode.Disposable[] = [
    diagnostics,
    tree,
    view,
    vscode.commands.registerCommand(SCAN_COMMAND, () => scanAll()),
    vscode.workspace.onDidSaveTextDocument((doc) => run(rescanDocument(doc))),
    vscode.workspace.onDidChangeWorkspaceFolders(() => run(scanAll())),
    onDidChangeCredentialSettings(() => (reports.size ? run(scanAll()) : publish())),
    { dispose: () => running?.abort() },
  ];
  if (readCredentialSettings().scanOnStartup) run(scanAll());
  else publish();
  return disposables;
}

function isSymbolicLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return true;
  }
}
