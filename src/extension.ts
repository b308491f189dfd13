// Composition root: builds the pieces and registers their Disposables. Nothing else lives here. It composes the gate
// first (the environment, the engine, the terminals' wiring) and, once the gate listens, the rest of the extension
// (src/afterGate.ts, its own bundle): a terminal can ask before the views, history and scanners are even loaded.
import * as vscode from 'vscode';
import type { AfterGate, activateAfterGate } from './afterGate';
import { AuditLog } from './core/audit/log';
import { auditLogPath } from './core/paths';
import type { Decision } from './core/types';
import { StartupTimes, startupTimes, stepDone } from './gate/startup';
import { onConfigChange, readConfig } from './vscode/config';
import { EnvironmentService } from './vscode/environment';
import { CredentialFindingsHolder, startTerminalGate } from './vscode/terminals';

/** What activate() hands to other extensions and tests: when the gate came up (see src/gate/startup.ts). */
export interface AgentGuardApi {
  startupTimes: StartupTimes;
}

/** Loads src/afterGate.ts (dist/afterGate.js beside this bundle); src/boot.ts passes one that uses the code cache. */
export type LoadAfterGate = () => { activateAfterGate: typeof activateAfterGate };

export async function activate(context: vscode.ExtensionContext, loadAfterGate: LoadAfterGate): Promise<AgentGuardApi> {
  startupTimes.activateStart = performance.now();
  // A log channel: VS Code stamps each line with its time and level, and the person can filter by level.
  const output = vscode.window.createOutputChannel('Agent Guard', { log: true });
  stepDone('dist/main.js loaded, log made');
  const log = (line: string) => (/\b(fail|failed|cannot|could not|error)\b/i.test(line) ? output.warn(line) : output.info(line));
  const audit = new AuditLog(auditLogPath());
  const env = new EnvironmentService(context.globalState, context.workspaceState, log, () => readConfig().approvalTimeoutMs);
  context.subscriptions.push(output, env);
  await env.refresh();
  stepDone('environment read');

  // The credential scan fills it; the terminal gate reads it for the unrelated-token check and to mask secrets.
  const credentials: CredentialFindingsHolder = { findings: [] };
  // What the gate asks the second part before a command runs: a command that comes before it is loaded waits for it
  // (snapshots) or is remembered for it (the history's decisions); if it cannot load, each snapshot note says so.
  let later: AfterGate | Error | undefined;
  let loaded: (part: AfterGate | Error) => void = () => undefined;
  const afterGate = new Promise<AfterGate | Error>((resolve) => (loaded = resolve));
  const early: [Decision, string][] = [];
  const gate = await startTerminalGate(context, {
    env,
    audit,
    log,
    credentials,
    beforeRun: async (req) => {
      const part = await afterGate;
      if (part instanceof Error) throw new Error(`no snapshot: Agent Guard's history and snapshots did not load: ${part.message}`);
      return part.beforeRun(req);
    },
    beforeCommand: (req) => {
      if (later === undefined) early.push([req.decision, req.cwd]);
      else if (!(later instanceof Error)) later.beforeCommand(req.decision, req.cwd);
    },
  });
  context.subscriptions.push(gate);

  const signals = vscode.workspace.createFileSystemWatcher('{**/.env*,.terraform/environment,.git/HEAD}');
  const refresh = () => void env.refresh();
  context.subscriptions.push(signals, signals.onDidCreate(refresh), signals.onDidDelete(refresh), signals.onDidChange(refresh));
  context.subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(refresh));
  context.subscriptions.push(
    onConfigChange(() => {
      void env.refresh().then(() => gate.refresh());
    }),
  );

  // A terminal's first question, if one is waiting already, is answered before the second part is loaded, and the engine
  // is compiled first (src/vscode/terminals.ts queued it).
  await new Promise((resolve) => setImmediate(resolve));
  try {
    later = loadAfterGate().activateAfterGate(context, { env, audit, output, log, gate, credentials });
    for (const [decision, cwd] of early.splice(0)) later.beforeCommand(decision, cwd);
  } catch (e) {
    later = e instanceof Error ? e : new Error(String(e));
    early.length = 0;
    log(`could not load the views, commands, history and snapshots: ${later.stack ?? later.message}`);
    void vscode.window.showErrorMessage(
      `Agent Guard: the gate works, but its status bar, commands, local history, snapshots and scans did not load (${later.message}). See the Agent Guard output.`,
    );
  }
  loaded(later!);
  startupTimes.afterGateLoaded = performance.now();

  startupTimes.activated = performance.now();
  const ms = (t?: number) => (t === undefined ? '?' : (t - startupTimes.activateStart!).toFixed(0));
  log(`activated in ${ms(startupTimes.activated)} ms (gate listening after ${ms(startupTimes.gateListening)} ms); audit log at ${audit.path}`);
  return { startupTimes };
}

export function deactivate(): void {}
