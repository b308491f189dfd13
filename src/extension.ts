// Composition root: builds the pieces and registers their Disposables. Nothing else lives here.
import * as vscode from 'vscode';
import { AuditLog } from './core/audit/log';
import { auditLogPath } from './core/paths';
import { join } from 'node:path';
import { SnapshotStore } from './gate/snapshots';
import { StartupTimes, startupTimes } from './gate/startup';
import { registerAgentConnections } from './vscode/agents';
import { commandTable, registerCommands } from './vscode/commands';
import { registerCredentials } from './vscode/credentials';
import { registerSnapshots, snapshotBeforeRun, snapshotLimitsFromSettings } from './vscode/snapshots';
import { registerContextMeter } from './vscode/context';
import { startHistory } from './vscode/history';
import { onConfigChange, readConfig } from './vscode/config';
import { EnvironmentService } from './vscode/environment';
import { registerProtectionStatus } from './vscode/protection';
import { registerReadonlyDocuments } from './vscode/readonlyDocument';
import { terminalReports } from './vscode/terminalStatus';
import { createStatusBar } from './vscode/statusBar';
import { CredentialFindingsHolder, startTerminalGate } from './vscode/terminals';
import { terminalTextEvents } from './vscode/terminalText';

/** What activate() hands to other extensions and tests: when the gate came up (see src/gate/startup.ts). */
export interface AgentGuardApi {
  startupTimes: StartupTimes;
}

export async function activate(context: vscode.ExtensionContext): Promise<AgentGuardApi> {
  startupTimes.activateStart = performance.now();
  // A log channel: VS Code stamps each line with its time and level, and the person can filter by level.
  const output = vscode.window.createOutputChannel('Agent Guard', { log: true });
  const log = (line: string) => (/\b(fail|failed|cannot|could not|error)\b/i.test(line) ? output.warn(line) : output.info(line));
  const audit = new AuditLog(auditLogPath());
  const env = new EnvironmentService(context.globalState, context.workspaceState, log, () => readConfig().approvalTimeoutMs);
  context.subscriptions.push(output, env, ...registerReadonlyDocuments());
  await env.refresh();
  context.subscriptions.push(...createStatusBar(env, audit));

  const snapshots = new SnapshotStore(join(context.globalStorageUri.fsPath, 'snapshots'), { limits: snapshotLimitsFromSettings });
  // The credential scan fills it; the terminal gate reads it for the unrelated-token check and to mask secrets.
  const credentials: CredentialFindingsHolder = { findings: [] };
  const history = startHistory(context, { log, audit, tierFor: (p) => env.tierFor(p) });
  context.subscriptions.push(...history.disposables);
  const snapshotRun = snapshotBeforeRun(snapshots, log);
  const beforeRun: typeof snapshotRun = async (req) => {
    history.beforeCommand(req.decision, req.cwd);
    const notes = [await snapshotRun(req), ...(await history.preimages.before(req.decision, req.cwd)).map((p) => p.note)];
    return notes.filter(Boolean).join('\n') || undefined;
  };
  const gate = await startTerminalGate(context, { env, audit, log, beforeRun, beforeCommand: (req) => history.beforeCommand(req.decision, req.cwd), credentials });
  context.subscriptions.push(gate);
  context.subscriptions.push(...registerCommands(commandTable({ env, audit, output })));
  context.subscriptions.push(...registerSnapshots(context, { store: snapshots, log }));
  context.subscriptions.push(...registerCredentials(context, { log, onDidScan: (findings) => (credentials.findings = findings) }));
  context.subscriptions.push(...registerAgentConnections(context, { log }));
  context.subscriptions.push(...registerProtectionStatus(log, () => terminalReports(gate.service)));
  const terminalText = terminalTextEvents();
  context.subscriptions.push(
    ...terminalText.disposables,
    ...registerContextMeter(context, {
      recentAuditEntries: (n) => audit.tail(n),
      tierOf: (uri) => env.tierFor(uri.fsPath),
      onTerminalText: terminalText.event,
      log,
    }),
  );

  const signals = vscode.workspace.createFileSystemWatcher('{**/.env*,.terraform/environment,.git/HEAD}');
  const refresh = () => void env.refresh();
  context.subscriptions.push(signals, signals.onDidCreate(refresh), signals.onDidDelete(refresh), signals.onDidChange(refresh));
  context.subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(refresh));
  context.subscriptions.push(
    onConfigChange(() => {
      void env.refresh().then(() => gate.refresh());
    }),
  );
  startupTimes.activated = performance.now();
  const ms = (t?: number) => (t === undefined ? '?' : (t - startupTimes.activateStart!).toFixed(0));
  log(`activated in ${ms(startupTimes.activated)} ms (gate listening after ${ms(startupTimes.gateListening)} ms); audit log at ${audit.path}`);
  return { startupTimes };
}

export function deactivate(): void {}
