// The context meter in the editor: status-bar meter, "Agent sessions" view, nudges, and the watchers that keep them
// current. Everything that can be decided without VS Code lives in core/context.

import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import {
  ContextMonitor,
  NudgeTracker,
  TerminalTextMeter,
  assess,
  claudeProjectsDir,
  codexSessionsDir,
  copilotCliStateDir,
  geminiTmpDir,
  isWithin,
  type HandoffAuditEntry,
  type MonitorOptions,
  type SessionMeter,
  type TranscriptKind,
} from '../../core/context';
import type { Tier } from '../../core/types';
import { ContextConfig } from './config';
import { copyHandoff, showNudge, vscodeNudgeUi, type NudgeUi } from './nudges';
import { SESSIONS_VIEW, SessionsView, type SessionNode, type SessionRow } from './sessionsView';
import { ContextStatusBar, SHOW_SESSIONS_COMMAND } from './statusBar';
import { TranscriptWatcher } from './watch';

export const SNOOZE_COMMAND = 'agentGuard.snoozeContextNudges';
export const COPY_HANDOFF_COMMAND = 'agentGuard.copyHandoffSummary';

/** Text seen in a guarded terminal, for the estimate of agents without a readable transcript. */
export interface TerminalTextEvent {
  terminalId: string;
  name?: string;
  cwd?: string;
  /** A command line that ran. */
  command?: string;
  /** Output (or other text) the terminal showed. */
  text?: string;
  closed?: boolean;
}

export interface ContextMeterDeps {
  /** The most recent audit entries, newest last (core/audit's entries fit). Used for the hand-off summary. */
  recentAuditEntries?: (limit: number) => Promise<readonly HandoffAuditEntry[]> | readonly HandoffAuditEntry[];
  /** The environment tier of a workspace folder: production folders get the lower production thresholds. */
  tierOf?: (folder: vscode.Uri) => Tier | undefined;
  /** Guarded terminals' text, when the terminal adapter offers it. */
  onTerminalText?: vscode.Event<TerminalTextEvent>;
  /** Internal errors (the Output channel). */
  log?: (message: string) => void;
  ui?: NudgeUi;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export function registerContextMeter(context: vscode.ExtensionContext, deps: ContextMeterDeps = {}): vscode.Disposable[] {
  const disposables: vscode.Disposable[] = [];
  const log = deps.log ?? (() => undefined);
  const ui = deps.ui ?? vscodeNudgeUi(vscode);
  const env = deps.env ?? process.env;
  const home = deps.home ?? homedir();
  const config = new ContextConfig();
  const statusBar = new ContextStatusBar();
  const view = new SessionsView();
  const tree = vscode.window.createTreeView(SESSIONS_VIEW, { treeDataProvider: view, showCollapseAll: true });
  disposables.push(config, statusBar, view, tree);

  const nudges = new NudgeTracker();
  const terminals = new Map<string, TerminalTextMeter>();
  let rows: SessionRow[] = [];
  let nudgeOpen = false;

  const folders = (): readonly vscode.WorkspaceFolder[] => vscode.workspace.workspaceFolders ?? [];
  const options = (): MonitorOptions => {
    const s = config.get();
    const storage = context.storageUri?.fsPath;
    return {
      folders: folders().map((f) => f.uri.fsPath),
      sources: new Set([...s.sources].filter((x): x is TranscriptKind => x !== 'terminal')),
      claudeProjectsDir: claudeProjectsDir(env, home),
      codexSessionsDir: codexSessionsDir(env, home),
      geminiTmpDir: geminiTmpDir(env, home),
      copilotCliStateDir: copilotCliStateDir(env, home),
      // storageUri is <workspaceStorage>/<hash>/<extension id>; Copilot's sessions sit beside it.
      copilotChatSessionsDir: storage ? join(dirname(storage), 'chatSessions') : undefined,
      lookBackMs: s.lookBackHours * 3_600_000,
    };
  };
  const monitor = new ContextMonitor(options());

  const folderOf = (m: SessionMeter): vscode.WorkspaceFolder | undefined => (m.cwd ? folders().find((f) => isWithin(m.cwd!, f.uri.fsPath)) : undefined);
  const thresholdsOf = (m: SessionMeter) => {
    const folder = folderOf(m);
    return config.thresholdsFor(folder?.uri, !!folder && deps.tierOf?.(folder.uri) === 'production');
  };
  const auditEntries = async (): Promise<readonly HandoffAuditEntry[]> => (deps.recentAuditEntries ? await deps.recentAuditEntries(200) : []);
  const snoozeMs = (): number => config.get().snoozeMinutes * 60_000;

  const render = (now: number): void => {
    view.update(rows, folders());
    const active = rows.find((r) => r.meter.source !== 'terminal') ?? rows[0];
    statusBar.show(active?.meter, active?.assessment.level ?? 'none', active?.assessment.reasons ?? [], now);
  };

  const maybeNudge = (now: number): void => {
    if (nudgeOpen) return;
    for (const r of rows) {
      const n = nudges.decide(r.meter, thresholdsOf(r.meter), now);
      if (!n) continue;
      nudges.shownAt(n);
      nudgeOpen = true;
      void showNudge(n, { ui, auditEntries, snooze: (key) => nudges.snoozeSession(key, Date.now() + snoozeMs()), log })
        .catch((e) => log(`context meter: nudge failed: ${String(e)}`))
        .finally(() => (nudgeOpen = false));
      return;
    }
  };

  let disposed = false;
  const refresh = async (): Promise<void> => {
    if (disposed) return;
    const settings = config.get();
    if (!settings.enabled) {
      rows = [];
      render(Date.now());
      watcher.setDirs([]);
      return;
    }
    watcher.setPollMs(settings.pollSeconds * 1000);
    try {
      monitor.setOptions(options());
      const meters = await monitor.refresh();
      if (disposed) return;
      if (settings.sources.has('terminal')) for (const t of terminals.values()) meters.push(t.meter());
      const now = Date.now();
      rows = meters.map((meter) => ({ meter, assessment: assess(meter, thresholdsOf(meter), now) }));
      render(now);
      maybeNudge(now);
      watcher.setDirs(await monitor.watchDirs(now));
    } catch (e) {
      log(`context meter: refresh failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
  const kick = (): void => void refresh();

  const watcher = new TranscriptWatcher(kick, config.get().pollSeconds * 1000);
  disposables.push(watcher, { dispose: () => (disposed = true) });

  if (deps.onTerminalText) {
    disposables.push(
      deps.onTerminalText((e) => {
        if (e.closed) {
          terminals.delete(e.terminalId);
          return;
        }
        let t = terminals.get(e.terminalId);
        if (!t) terminals.set(e.terminalId, (t = new TerminalTextMeter(e.terminalId, e.cwd, e.name)));
        if (e.command) t.command(e.command);
        if (e.text) t.text(e.text);
      }),
    );
  }

  const nodeMeter = (arg: unknown): SessionMeter | undefined => {
    const node = arg as SessionNode | undefined;
    if (node?.kind === 'session') return node.row.meter;
    return (rows.find((r) => r.meter.source !== 'terminal') ?? rows[0])?.meter;
  };

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    [SHOW_SESSIONS_COMMAND]: () => vscode.commands.executeCommand(`${SESSIONS_VIEW}.focus`),
    [COPY_HANDOFF_COMMAND]: async (arg) => {
      const m = nodeMeter(arg);
      if (!m) {
        void vscode.window.showInformationMessage('Agent Guard: no agent session found for this workspace yet.');
        return;
      }
      await copyHandoff(m, { ui, auditEntries, log });
      void vscode.window.showInformationMessage('Agent Guard: hand-off summary copied. Paste it as the first message of the new session.');
    },
    // A person picks how long: the command takes no duration from its arguments, so another extension or an agent
    // running commands cannot silence the nudges without the quick pick.
    [SNOOZE_COMMAND]: async () => {
      const now = Date.now();
      const picks: (vscode.QuickPickItem & { ms: number })[] = [
        { label: '30 minutes', ms: 30 * 60_000 },
        { label: '1 hour', ms: 3_600_000 },
        { label: '4 hours', ms: 4 * 3_600_000 },
        { label: 'Until tomorrow', ms: 24 * 3_600_000 },
      ];
      const until = nudges.snoozedUntilAll(now);
      if (until) picks.push({ label: 'Resume nudges now', description: `snoozed until ${new Date(until).toLocaleTimeString()}`, ms: 0 });
      const pick = await vscode.window.showQuickPick(picks, { title: 'Agent Guard: snooze context nudges', placeHolder: 'Snooze all context nudges for…' });
      if (!pick) return;
      nudges.snoozeAll(pick.ms ? Date.now() + pick.ms : 0);
    },
  };
  for (const [id, handler] of Object.entries(commands)) disposables.push(vscode.commands.registerCommand(id, handler));

  disposables.push(
    config.onDidChange(kick),
    vscode.workspace.onDidChangeWorkspaceFolders(kick),
    tree.onDidChangeVisibility((e) => e.visible && kick()),
  );
  kick();
  return disposables;
}
