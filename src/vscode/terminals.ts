// Puts the gate in front of every terminal and task of the window: the shell side asks through the local channel
// before a command runs; shell-integration events are only the record and a last line for what slipped past.

import { delimiter, isAbsolute, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { AuditEntry, AuditLog } from '../core/audit/log';
import type { Engine } from '../core/classify';
import { late } from '../core/late';
import { shellKindOf } from '../core/parse/dialect';
import type { CredentialFinding } from '../core/credentials';
import { stateDir } from '../core/paths';
import type { Tier } from '../core/types';
import { cpuMs, startupTimes, stepDone } from '../gate/startup';
import { BASH_PROMPT_HOOK, installShellGate, reinstallIfStale, registerGatePort, type ShellGate, shippedInstallOptions, unregisterGatePort, writePrefilter } from '../gate/install';
import { registerWindow, registryDir, unregisterWindow } from '../gate/registry';
import { GATE_PORTS, GateServer } from '../gate/server';
import { ApprovalRequest, GateService } from '../gate/service';
import { InputBoxApprover } from './approvalPrompt';
import { readCredentialSettings, terminalVariablesToStrip } from './credentials/config';
import { terminalReports } from './terminalStatus';
import { GuardConfig, readConfig, readRules } from './config';
import type { EnvironmentService } from './environment';

export interface TerminalGateDeps {
  env: EnvironmentService;
  audit: AuditLog;
  log: (line: string) => void;
  /** Called before an approved or allowed command runs (snapshots of what it deletes). */
  beforeRun?: (req: ApprovalRequest) => Promise<string | void>;
  beforeCommand?: (req: ApprovalRequest) => void;
  /** The latest credential scan (filled by registerCredentials' onDidScan): the unrelated-token check's input. */
  credentials?: CredentialFindingsHolder;
}

/** Holds what the last credential scan found; the gate reads it for every command. */
export interface CredentialFindingsHolder {
  findings: readonly CredentialFinding[];
}

export interface TerminalGate extends vscode.Disposable {
  service: GateService;
  port: number;
  token: string;
  /** Applies settings and the environment to new terminals; existing ones keep asking the same server. */
  refresh(): void;
}

// The engine (dist/engine.js in the extension, esbuild.split.mjs) is compiled after the gate listens, not before.
const engineModule = late((): typeof import('../core/classify') => require('../core/classify'));

function unreachablePolicy(config: GuardConfig, tier: Tier): 'hold' | 'warn' {
  if (config.whenUnreachable !== 'byEnvironment') return config.whenUnreachable;
  return tier === 'development' ? 'warn' : 'hold';
}

export async function startTerminalGate(context: vscode.ExtensionContext, deps: TerminalGateDeps): Promise<TerminalGate> {
  let cached: { key: string; findings: readonly CredentialFinding[]; engine: Engine } | undefined;
  let loggedRules = '';
  const engineFor = (cwd: string): { engine: Engine; tier: Tier; workspace: string } => {
    const tier = deps.env.tierFor(cwd);
    const folder = deps.env.folderFor(cwd);
    const { rules, problems } = readRules(folder?.folder.uri);
    for (const p of problems) deps.log(p);
    const root = folder?.folder.uri.fsPath ?? '';
    const findings = deps.credentials?.findings ?? [];
    // User settings only: a workspace that could add a location could let its own tokens through.
    const configuredLocations = findings.length ? readCredentialSettings().configuredLocations : [];
    const rel = root && cwd ? relative(root, cwd).split(sep).join('/') : '';
    const relCwd = isAbsolute(rel) ? '' : rel;
    const key = JSON.stringify([tier, deps.env.frozen, rules, configuredLocations, root, relCwd]);
    if (!cached || cached.key !== key || cached.findings !== findings) {
      const credentials = findings.length ? { findings, configuredLocations, cwd: relCwd, ...(root ? { root } : {}) } : undefined;
      const engine = new (engineModule().Engine)({ tier, freeze: deps.env.frozen, rules, credentials, guardPaths: [join(context.globalStorageUri.fsPath, 'shell'), stateDir()] });
      const rulesKey = JSON.stringify(rules);
      if (rulesKey !== loggedRules) for (const p of engine.userRules.problems) deps.log(`rules: ${p}`);
      loggedRules = rulesKey;
      cached = { key, findings, engine };
    }
    return { engine: cached.engine, tier, workspace: root };
  };

  const approverUi = new InputBoxApprover(
    () => readConfig().approvalTimeoutMs,
    (req) => void vscode.window.showWarningMessage(`Agent Guard refused: ${req.decision.command} — ${req.decision.reason}`),
  );
  const service = new GateService({
    settings: (cwd) => {
      const e = engineFor(cwd);
      return { ...e, redact: (text: string) => e.engine.redact(text), requireTierPrefix: readConfig().requireEnvironmentInApproval };
    },
    approver: approverUi,
    record: (e: AuditEntry) =>
      deps.audit.append(e).catch((err: Error) => {
        deps.log(`audit log: could not append (${err.message})`);
        throw err;
      }),
    auditProblem: () => (deps.audit.status.ok ? undefined : deps.audit.status.error),
    beforeRun: deps.beforeRun,
    beforeCommand: deps.beforeCommand,
  });
  service.terminalReport = () => terminalReports(service);
  const server = new GateServer(service);
  server.onError = deps.log;
  server.onAnswered = () => {
    startupTimes.firstAnswer = performance.now();
    server.onAnswered = undefined;
  };
  const port = await server.listen(GATE_PORTS);
  if (!server.inRange) deps.log(`terminals: every port from ${GATE_PORTS.first} to ${GATE_PORTS.last} is taken, so the gate listens on ${port}, which VS Code may offer to forward`);
  startupTimes.gateListening = performance.now();
  stepDone('gate listening');
  startupTimes.cpu = { ...startupTimes.cpu, gateListening: cpuMs() };

  const dir = join(context.globalStorageUri.fsPath, 'shell');
  const shipped = shippedInstallOptions(context.asAbsolutePath('dist'));
  if (shipped.programsProblem) deps.log(`terminals: the build's list of guarded programs is missing, so the rules are loaded to install the shell gate: ${shipped.programsProblem}`);
  // The PATH shims are placed once the gate works: a bin/ in place is checked then, a first start's appears whole.
  let shell: ShellGate;
  try {
    shell = installShellGate(dir, context.asAbsolutePath(join('dist', 'shell')), deps.env.frozen ? 'all' : 'normal', { ...shipped, placeShimsLater: true });
  } catch (e) {
    // No terminal gets the gate's environment, and the agents' hooks find no window: said, and the port closed.
    const why = e instanceof Error ? e.message : String(e);
    deps.log(`terminals: the shell gate could not be laid down in ${dir}, so terminals are not guarded: ${why}`);
    void vscode.window.showErrorMessage(`Agent Guard: the terminals' gate could not be laid down in ${dir} (${why}); terminals are not guarded. See the Agent Guard output.`);
    server.close();
    throw e;
  }
  stepDone('shell scripts placed');
  const shimsPlaced = Promise.resolve(shell.shimsPlaced).then(
    () => {
      startupTimes.shimsPlaced = performance.now();
      if (shell.shimProblem) deps.log(`terminals: the native PATH shim is not used, ${shell.shimProblem}; the shims run shim.sh with bash instead`);
    },
    (e: Error) => {
      deps.log(`terminals: the PATH shims could not be laid down in ${shell.binDir}, so what scripts run is not checked: ${e.message}`);
      void vscode.window.showErrorMessage(`Agent Guard: the PATH shims could not be laid down (${e.message}); terminal lines are still checked, programs that scripts start are not. See the Agent Guard output.`);
    },
  );
  const register = () =>
    registerWindow(registryDir(stateDir()), {
      pid: process.pid,
      port,
      token: server.token,
      folders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
      tier: deps.env.strictest(),
      started: new Date().toISOString(),
    });
  const registryFile = register();
  stepDone('window registered');

  const coll = context.environmentVariableCollection;
  // installShellGate wrote the shells' word lists and register() this window's entry: the first apply does not again.
  let installed = true;
  const apply = () => {
    const first = installed;
    installed = false;
    if (!first) register();
    const config = readConfig();
    if (first) stepDone('settings read');
    for (const p of config.problems) deps.log(p);
    coll.clear();
    // The port and token point at this window's live server: never restore them into a later window.
    coll.persistent = false;
    coll.description = 'Agent Guard holds destructive commands until a person types the resource name in VS Code.';
    if (!config.terminalsEnabled) {
      deps.log('terminals: the gate is turned off in user settings (agentGuard.terminals.enabled)');
      return;
    }
    const tier = deps.env.strictest();
    coll.replace('AGENT_GUARD_PORT', String(port));
    coll.replace('AGENT_GUARD_TOKEN', server.token);
    coll.replace('AGENT_GUARD_DIR', shell.dir);
    coll.replace('AGENT_GUARD_TIER', tier);
    coll.replace('AGENT_GUARD_UNREACHABLE', unreachablePolicy(config, tier));
    // The shells read the token's owner and the policy from the gate's folder, not from their environment.
    registerGatePort(shell.dir, port, server.token, tier, unreachablePolicy(config, tier));
    // How long a shell waits for the verdict once the gate says a person is deciding: the box's timeout and a margin.
    coll.replace('AGENT_GUARD_APPROVAL_S', String(Math.ceil(config.approvalTimeoutMs / 1000) + 30));
    coll.replace('BASH_ENV', shell.bashEnv);
    // Cleared by the shell hook at the first prompt: the person's own start-up files run unchecked.
    coll.replace('AGENT_GUARD_STARTING', '1');
    if (process.env.BASH_ENV && process.env.BASH_ENV !== shell.bashEnv) coll.replace('AGENT_GUARD_USER_BASH_ENV', process.env.BASH_ENV);
    coll.prepend('PROMPT_COMMAND', BASH_PROMPT_HOOK, { applyAtProcessCreation: true, applyAtShellIntegration: true });
    coll.replace('ZDOTDIR', shell.zdotdir);
    coll.replace('AGENT_GUARD_USER_ZDOTDIR', process.env.ZDOTDIR ?? '');
    if (config.shims) coll.prepend('PATH', shell.binDir + delimiter); // ';' on Windows
    // Credentials the person chose to keep from agents' shells (an empty value is as close to unset as VS Code allows).
    for (const name of terminalVariablesToStrip().names) coll.replace(name, '');
    // Unchanged lists keep the version this window wrote (no running shell reads them again); anything else, a new one.
    if (!first) shell.prefilterVersion = writePrefilter(shell.dir, deps.env.frozen ? 'all' : 'normal', shell.programs, shell.prefilterVersion);
  };
  apply();
  stepDone('terminals given its environment');
  // Later changes (a freeze, a label, settings) arrive from events: what fails there is said, never thrown into them.
  const reapply = () => {
    try {
      apply();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      deps.log(`terminals: the gate's environment or word lists could not be brought up to date: ${why}`);
      void vscode.window.showErrorMessage(`Agent Guard: the terminals could not be given the gate's new settings (${why}); lines the gate is asked about are still judged with them. See the Agent Guard output.`);
    }
  };
  startupTimes.gateReady = performance.now();
  startupTimes.cpu = { ...startupTimes.cpu, gateReady: cpuMs() };
  // The engine is compiled as soon as the gate works, before the rest of the extension loads (src/extension.ts waits a
  // turn for it), unless a line asked about first loads it: the first answer then waits for nothing. An engine that
  // cannot load makes every line the gate is asked about refused, with why.
  const preload = setImmediate(() => {
    try {
      engineFor('');
      startupTimes.engineLoaded = performance.now();
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      deps.log(`terminals: the engine could not be loaded, so every line the gate is asked about is refused: ${why}`);
      void vscode.window.showErrorMessage(`Agent Guard: its engine could not be loaded, so the terminals' gate refuses every command it is asked about (${why}). Reinstall the extension; see the Agent Guard output.`);
      return;
    }
    // The build's list must be the rules' own (a partial build could leave an old one): else the rules' list is laid
    // down, once a first start's shims are.
    void shimsPlaced.then(() => {
      try {
        const again = reinstallIfStale(shell, context.asAbsolutePath(join('dist', 'shell')), deps.env.frozen ? 'all' : 'normal', shipped);
        if (!again) return;
        shell = again.gate;
        deps.log(`terminals: the build's list of guarded programs was not the rules' (it lacked ${again.missing.slice(0, 10).join(', ') || 'none'}; it also named ${again.extra.slice(0, 10).join(', ') || 'none'}): the shell gate was laid down again from the rules`);
      } catch (e) {
        deps.log(`terminals: the shell gate could not be laid down again from the rules: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  });

  const disposables: vscode.Disposable[] = [
    deps.env.onDidChange(reapply),
    // The start event can arrive before the shell's question does (a task's bash -c asks as it starts): wait a moment.
    vscode.window.onDidStartTerminalShellExecution(
      (e) =>
        void setTimeout(() => {
          try {
            lastLine(e, service, engineFor, deps);
          } catch (err) {
            // The engine could not be loaded (dist/engine.js) or failed: say so rather than throw into the host.
            deps.log(`terminals: could not check a line that ran: ${err instanceof Error ? err.message : String(err)}`);
          }
        }, 2000),
    ),
  ];
  deps.log(`gate listening on 127.0.0.1:${port}; shell files in ${shell.dir}`);
  return {
    service,
    port,
    token: server.token,
    refresh: reapply,
    dispose() {
      clearImmediate(preload);
      for (const d of disposables) d.dispose();
      server.close();
      service.dispose();
      unregisterGatePort(shell.dir, port);
      unregisterWindow(registryFile);
    },
  };
}

/** A command reported as started that the gate never saw and would have held: flag it, and interrupt it. */
function lastLine(e: vscode.TerminalShellExecutionStartEvent, service: GateService, engineFor: (cwd: string) => { engine: Engine }, deps: TerminalGateDeps): void {
  const line = e.execution.commandLine;
  if (!line.value.trim() || line.confidence === vscode.TerminalShellExecutionCommandLineConfidence.Low) return;
  const cwd = e.execution.cwd?.fsPath ?? e.shellIntegration.cwd?.fsPath ?? '';
  const { engine } = engineFor(cwd);
  // Read in the terminal's own language: a PowerShell or cmd terminal's line is not bash.
  const d = engine.classify(line.value, shellKindOf(e.terminal.state.shell) ?? 'bash', cwd ? { cwd } : {});
  if (d.decision === 'allow' || service.recentlySeen(line.value)) return;
  const shown = engine.redact(line.value);
  // A terminal whose shell had the line gate no longer has it in front: the protection badge turns red.
  void Promise.resolve(e.terminal.processId).then((pid) => pid && service.shells.lost(pid, `"${shown}" started at ${new Date().toISOString()} without passing the gate`), () => undefined);
  const config = readConfig();
  if (config.interruptSlipped) e.terminal.sendText('\u0003', false);
  void deps.audit.append({
    time: new Date().toISOString(),
    tier: d.tier,
    source: 'terminal-event',
    terminal: e.terminal.name,
    cwd,
    command: shown,
    rules: d.rules,
    resource: d.resource,
    severity: d.severity,
    decision: d.decision,
    outcome: config.interruptSlipped ? 'refused' : 'ran',
    decidedBy: 'unreachable',
    reason: 'started without passing the gate (the shell hook was not active in this terminal)',
  }).catch((err: Error) => deps.log(`audit log: could not append (${err.message})`));
  void vscode.window.showWarningMessage(
    `Agent Guard: "${shown}" started in terminal "${e.terminal.name}" without passing the gate${config.interruptSlipped ? ' and was interrupted' : ''}. ${d.reason}`,
  );
}
