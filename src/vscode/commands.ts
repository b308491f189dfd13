// The palette commands, registered from one table. None of them approves anything, and none takes an answer
// from its arguments: any extension (and Copilot's run-a-command tool) can call a command.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AuditLog, ChainedEntry } from '../core/audit/log';
import { TIERS, Tier } from '../core/types';
import type { EnvironmentService, FolderEnvironment } from './environment';
import { folderLabelText } from './environmentText';
import { showReadonly } from './readonlyDocument';
import { SHOW_ENVIRONMENT_COMMAND } from './statusBar';

export interface CommandDeps {
  env: EnvironmentService;
  audit: AuditLog;
  output: vscode.LogOutputChannel;
}

const ICON: Record<string, string> = { allow: '$(pass)', confirm: '$(shield)', deny: '$(circle-slash)' };

function describeEntry(e: ChainedEntry): vscode.QuickPickItem {
  const how = e.decidedBy === 'typed' ? `approved by ${e.approver ?? 'a person'}` : e.outcome === 'ran' ? `ran (${e.decidedBy})` : `${e.outcome} (${e.decidedBy})`;
  return {
    label: `${ICON[e.decision] ?? ''} ${e.command.length > 90 ? e.command.slice(0, 90) + '…' : e.command}`,
    description: `${e.tier} · ${how}${e.rules.length ? ' · ' + e.rules.join(', ') : ''}`,
    detail: `${new Date(e.time).toLocaleString()} · ${e.source}${e.agent ? ' · ' + e.agent : ''}${e.why ? ` · why: "${e.why}"` : ''}${e.cwd ? ' · ' + e.cwd : ''}`,
  };
}

async function pickTier(current: Tier | undefined): Promise<Tier | '' | undefined> {
  const items = [...TIERS.filter((t) => t !== 'unknown'), 'detect'].map((t) => ({ label: t, description: t === current ? 'current' : t === 'detect' ? 'use the signals in the workspace' : '' }));
  const pick = await vscode.window.showQuickPick(items, { title: 'Agent Guard: environment of this folder', placeHolder: 'Lowering protection asks you to type the new name' });
  return pick ? (pick.label === 'detect' ? '' : (pick.label as Tier)) : undefined;
}

/** One audit entry as a person reads it. */
export function decisionText(e: ChainedEntry): string {
  const how = e.decidedBy === 'typed' ? `approved by ${e.approver ?? 'a person'}, who typed the name` : e.outcome === 'ran' ? `ran (${e.decidedBy})` : `${e.outcome} (${e.decidedBy})`;
  const rows: [string, string | undefined][] = [
    ['Command', e.command],
    ['Outcome', how],
    ['Why', e.reason],
    ['Rules', e.rules.join(', ') || undefined],
    ['Name to type', e.resource ?? undefined],
    ['Environment', `${e.tier}${e.freeze ? ', frozen' : ''}`],
    ['When', new Date(e.time).toLocaleString()],
    ['From', `${e.source}${e.agent ? ` (${e.agent})` : ''}${e.terminal ? `, terminal "${e.terminal}"` : ''}`],
    ['The agent said', e.why],
    ['Folder', e.cwd],
    ['Workspace', e.workspace],
  ];
  return `Agent Guard — one decision from the audit log\n\n${rows.filter(([, v]) => v).map(([k, v]) => `${`${k}:`.padEnd(16)}${v}`).join('\n')}\n`;
}

interface MenuItem extends vscode.QuickPickItem {
  run: () => Promise<unknown>;
}

export function commandTable(deps: CommandDeps): Record<string, (...args: unknown[]) => unknown> {
  const { env, audit, output } = deps;
  const setEnvironment = async () => {
    const folders = env.list();
    if (!folders.length) return void vscode.window.showInformationMessage('Agent Guard: open a folder to label its environment.');
    const target = folders.length === 1 ? folders[0] : (await vscode.window.showQuickPick(folders.map((f) => ({ label: f.folder.name, description: f.tier, f })), { title: 'Which folder?' }))?.f;
    if (!target) return;
    const tier = await pickTier(target.configured);
    if (tier === undefined) return;
    await env.setTier(target.folder, tier || undefined);
  };
  const toggleFreeze = async () => {
    const on = !env.frozen;
    const done = await env.setFrozen(on);
    if (done) void vscode.window.showInformationMessage(on ? 'Agent Guard: freeze is on. Every command that changes state is held.' : 'Agent Guard: freeze lifted.');
  };
  const showDecisions = async () => {
    const entries = audit.tail(200).reverse();
    if (!entries.length) return void vscode.window.showInformationMessage('Agent Guard: no decisions recorded yet.');
    const pick = await vscode.window.showQuickPick(entries.map((e) => ({ ...describeEntry(e), e })), { title: `Agent Guard: recent decisions (${audit.path})`, matchOnDescription: true, matchOnDetail: true });
    // The chosen decision in words, read-only: not raw JSON.
    if (pick) await showReadonly(`Decision ${pick.e.time.replace(/[:.]/g, '-')}.txt`, decisionText(pick.e));
  };
  const verifyAuditLog = async () => {
    const r = audit.verify();
    const torn = r.tornLines?.length ? ` Lines cut short by a crash: ${r.tornLines.join(', ')}.` : '';
    if (r.ok) return void vscode.window.showInformationMessage(`Agent Guard: the audit log verifies — ${r.entries} decisions, chain intact.${torn}`);
    const open = await vscode.window.showErrorMessage(`Agent Guard: the audit log was altered at line ${r.broken!.line}: ${r.broken!.why}. ${r.entries} lines before it verify.`, 'Open the log');
    if (open) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(audit.path));
      const line = Math.max(0, r.broken!.line - 1);
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(line, 0, line, 0) });
      await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
    }
  };
  const showEnvironment = async () => {
    const run = (command: string) => async () => void (await vscode.commands.executeCommand(command));
    const folders = env.list();
    const items: MenuItem[] = [
      ...folders.map((f) => {
        const t = folderLabelText({ ...f, name: f.folder.name });
        return { label: `$(info) ${t.label}`, description: t.description, ...(t.detail ? { detail: t.detail } : {}), run: async () => undefined };
      }),
      // A folder nothing labels is offered a label: raising it takes effect at once.
      ...folders.filter((f) => folderLabelText({ ...f, name: f.folder.name }).offerLabel).map((f) => ({ label: `$(tag) Label ${f.folder.name}…`, description: 'production, staging or development', run: () => labelFolder(f) })),
      { label: '', kind: vscode.QuickPickItemKind.Separator, run: async () => undefined },
      { label: '$(shield) Set environment…', run: setEnvironment },
      { label: env.frozen ? '$(unlock) Lift the freeze…' : '$(lock) Freeze: hold every command that changes state', run: toggleFreeze },
      { label: '$(discard) Restore deleted files from history…', run: run('agentGuard.restoreDeletedFiles') },
      { label: '$(search) Scan for credentials', run: run('agentGuard.credentials.scan') },
      { label: '$(plug) Connect agents…', run: run('agentGuard.connectAgents') },
      { label: '$(checklist) Check which agents are protected', run: run('agentGuard.checkProtection') },
      { label: '$(history) Show recent decisions', run: showDecisions },
      { label: '$(verified) Verify the audit log', run: verifyAuditLog },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Agent Guard', matchOnDetail: true });
    await pick?.run();
  };
  const labelFolder = async (f: FolderEnvironment) => {
    const tier = await pickTier(f.configured);
    if (tier === undefined) return;
    await env.setTier(f.folder, tier || undefined);
  };
  return {
    [SHOW_ENVIRONMENT_COMMAND]: showEnvironment,
    'agentGuard.setEnvironment': setEnvironment,
    'agentGuard.toggleFreeze': toggleFreeze,
    'agentGuard.freeze': async () => {
      if (env.frozen) return void vscode.window.showInformationMessage('Agent Guard: the freeze is already on.');
      await toggleFreeze();
    },
    'agentGuard.liftFreeze': async () => {
      if (!env.frozen) return void vscode.window.showInformationMessage('Agent Guard: there is no freeze to lift.');
      await toggleFreeze();
    },
    'agentGuard.showDecisions': showDecisions,
    'agentGuard.verifyAuditLog': verifyAuditLog,
    // Read-only: a keystroke in the editor must never land in the log.
    'agentGuard.openAuditLog': async () => {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(audit.path)), { preview: true });
      await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
    },
    'agentGuard.showOutput': () => output.show(),
    // Types a destructive command into a terminal in a throwaway folder; the person runs it, and the gate holds it.
    'agentGuard.tryIt': () => {
      const dir = mkdtempSync(join(tmpdir(), 'agent-guard-try-'));
      mkdirSync(join(dir, 'scratch'));
      writeFileSync(join(dir, 'scratch', 'notes.txt'), 'A throwaway file for trying Agent Guard.\n');
      const term = vscode.window.createTerminal({ name: 'Agent Guard: try it', cwd: dir });
      term.show();
      // Typed once the shell is up (its gate then reads the line), or after a few seconds without shell integration.
      const type = () => {
        clearTimeout(timer);
        ready.dispose();
        term.sendText('rm -rf scratch', false);
      };
      const timer = setTimeout(type, 5000);
      const ready = vscode.window.onDidChangeTerminalShellIntegration((e) => e.terminal === term && type());
    },
  };
}

export function registerCommands(table: Record<string, (...args: unknown[]) => unknown>): vscode.Disposable[] {
  // Arguments are dropped on purpose: no command takes an answer from whoever calls it.
  return Object.entries(table).map(([id, fn]) => vscode.commands.registerCommand(id, () => fn()));
}
