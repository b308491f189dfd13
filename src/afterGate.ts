// Composition root, second part (dist/afterGate.js): what the extension does besides the gate — the status bar, the
// palette commands, the local history and snapshots, the credential scan, agents' connections, the protection badge
// and the context meter. src/extension.ts loads it once the gate listens, so starting VS Code does not load and
// evaluate these before a terminal can ask. Nothing else lives here.
import type * as vscode from 'vscode';
import { join } from 'node:path';
import type { AuditLog } from './core/audit/log';
import type { Decision } from './core/types';
import type { ApprovalRequest } from './gate/service';
import { SnapshotStore } from './gate/snapshots';
import { registerAgentConnections } from './vscode/agents';
import { commandTable, registerCommands } from './vscode/commands';
import { registerContextMeter } from './vscode/context';
import { registerCredentials } from './vscode/credentials';
import type { EnvironmentService } from './vscode/environment';
import { startHistory } from './vscode/history';
import { registerProtectionStatus } from './vscode/protection';
import { registerReadonlyDocuments } from './vscode/readonlyDocument';
import { registerSnapshots, snapshotBeforeRun, snapshotLimitsFromSettings } from './vscode/snapshots';
import { createStatusBar } from './vscode/statusBar';
import { terminalReports } from './vscode/terminalStatus';
import type { CredentialFindingsHolder, TerminalGate } from './vscode/terminals';
import { terminalTextEvents } from './vscode/terminalText';

export interface AfterGateDeps {
  env: EnvironmentService;
  audit: AuditLog;
  output: vscode.LogOutputChannel;
  log: (line: string) => void;
  gate: TerminalGate;
  /** Filled by the credential scan; the gate reads it for every command. */
  credentials: CredentialFindingsHolder;
}

/** What the gate calls before a command runs, once this part is loaded. */
export interface AfterGate {
  /** Snapshots and database pre-images of what an allowed or approved command deletes; the note says what was kept. */
  beforeRun(req: ApprovalRequest): Promise<string | undefined>;
  /** The history captures what changed before a command runs, and remembers the decision that explains a loss. */
  beforeCommand(decision: Decision, cwd: string): void;
}

export function activateAfterGate(context: vscode.ExtensionContext, deps: AfterGateDeps): AfterGate {
  const { env, audit, output, log, gate } = deps;
  context.subscriptions.push(...registerReadonlyDocuments(), ...createStatusBar(env, audit));
  const snapshots = new SnapshotStore(join(context.globalStorageUri.fsPath, 'snapshots'), { limits: snapshotLimitsFromSettings });
  const history = startHistory(context, { log, audit, tierFor: (p) => env.tierFor(p) });
  context.subscriptions.push(...history.disposables);
  const snapshotRun = snapshotBeforeRun(snapshots, log);
  context.subscriptions.push(...registerCommands(commandTable({ env, audit, output })));
  context.subscriptions.push(...registerSnapshots(context, { store: snapshots, log }));
  context.subscriptions.push(...registerCredentials(context, { log, onDidScan: (findings) => (deps.credentials.findings = findings) }));
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
  return {
    async beforeRun(req) {
      history.beforeCommand(req.decision, req.cwd);
      const notes = [await snapshotRun(req), ...(await history.preimages.before(req.decision, req.cwd)).map((p) => p.note)];
      return notes.filter(Boolean).join('\n') || undefined;
    },
    beforeCommand: (decision, cwd) => history.beforeCommand(decision, cwd),
  };
}
