// "Agent Guard: Connect agents…": writes or removes Agent Guard's hook in each agent's user-level configuration,
// after showing the exact change and asking. And the watchers that warn when protection is loosened behind the
// person's back: our hook taken out of a file, `disableAllHooks`, Copilot's terminal auto-approve rules or hook
// locations changed to let gated commands through. The file edits are shared with the CLI (src/core/agents).

import { unwatchFile, watchFile } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { AGENT_IDS, AGENT_NAMES, type AgentId } from '../core/agents/ids';
import { isWithin } from '../core/paths';
import { hookFilePath, isConnected, hookCommand, HOOK_SPECS, type HookEdit, type HookProgram, type HookScope } from '../core/agents/hookConfig';
import { autoApproveLoosening, gatedSamples, hookFileLoosening, hookOffSwitches, hookLocationsLoosening, type GatedSample } from '../core/agents/hookLoosening';
import { renderDiff } from '../core/agents/unifiedDiff';
import { planHookChange, readHookFile, withLauncher, writeHookFile } from '../core/agents/hookFiles';
import { launcherExists, writeLauncher } from '../core/agents/launcher';
import { stateDir } from '../core/paths';
import { agentFound } from '../gate/doctor';
import { showReadonly } from './readonlyDocument';

export const CONNECT_AGENTS_COMMAND = 'agentGuard.connectAgents';

/** The UI seams, so tests can drive the flow. */
export interface AgentConnectionsUi {
  /** `command`: the hook command the checked agents run (the stable launcher, `… hook <agent>`). */
  pick(items: readonly AgentPickItem[], command: string): Thenable<readonly AgentPickItem[] | undefined>;
  preview(text: string): Thenable<unknown>;
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
  warn(message: string, ...actions: string[]): Thenable<string | undefined>;
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
}

export interface AgentPickItem extends vscode.QuickPickItem {
  agent: AgentId;
}

export interface AgentConnectionsDeps {
  /** The CLI bundle the hooks run (default: the extension's dist/cli.js). */
  cliPath?: string;
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** Internal errors (the Output channel). */
  log?: (message: string) => void;
  ui?: AgentConnectionsUi;
  read?: (path: string) => string | null;
  write?: (path: string, text: string | null) => void;
  /** How often hook files are checked for changes (they live outside the workspace). */
  pollMs?: number;
  /** Agent Guard's state folder, where the hook launcher lives (default: the standard one). */
  stateDir?: string;
}

export function vscodeAgentUi(api: typeof vscode): AgentConnectionsUi {
  return {
    pick: (items, command) =>
      api.window.showQuickPick(items, {
        canPickMany: true,
        title: 'Connect agents to Agent Guard',
        placeHolder: `Checked agents run ${command} before each tool call`,
        ignoreFocusOut: true,
      }),
    // Read-only and virtual: nothing is left behind asking to be saved.
    preview: (text) => showReadonly('Agent Guard hook changes.diff', text),
    confirm: async (message, detail, action) => (await api.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
    warn: (m, ...a) => api.window.showWarningMessage(m, ...a),
    info: (m, ...a) => api.window.showInformationMessage(m, ...a),
  };
}

/** What the list says of an agent: installed on this machine or not, connected or not. */
export function pickDescription(s: { found: boolean; connected: boolean; outdated: boolean }): string {
  const here = s.found ? 'installed' : 'not found on this machine';
  const link = s.connected ? (s.outdated ? 'connected, to an older install' : 'connected') : 'not connected';
  return `${here} · ${link}`;
}

/** The hook locations setting key VS Code knows a user-level hook file by (`~/.copilot/hooks`). */
function tilde(path: string, home: string): string {
  return isWithin(home, path) ? `~/${relative(home, path).split(sep).join('/')}` : path;
}

export function registerAgentConnections(context: vscode.ExtensionContext, deps: AgentConnectionsDeps = {}): vscode.Disposable[] {
  const disposables: vscode.Disposable[] = [];
  const home = deps.home ?? homedir();
  const env = deps.env ?? process.env;
  const log = deps.log ?? (() => undefined);
  const ui = deps.ui ?? vscodeAgentUi(vscode);
  const read = deps.read ?? readHookFile;
  const write = deps.write ?? writeHookFile;
  const program: HookProgram = withLauncher({ node: process.execPath, cli: deps.cliPath ?? context.asAbsolutePath(join('dist', 'cli.js')), electron: !!process.versions.electron }, deps.stateDir ?? stateDir());
  // After an update the launcher points at this version's CLI (it would also find it on its own).
  if (program.launcher && launcherExists(deps.stateDir ?? stateDir())) {
    try {
      writeLauncher(deps.stateDir ?? stateDir(), program);
    } catch (e) {
      log(`Agent Guard: could not refresh the hook launcher: ${(e as Error).message}`);
    }
  }
  const userScope: HookScope = { kind: 'user', home, env };
  const userPath = (agent: AgentId) => hookFilePath(agent, userScope);
  const safeRead = (path: string): string | null => {
    try {
      return read(path);
    } catch (e) {
      log(`Agent Guard: cannot read ${path}: ${(e as Error).message}`);
      return null;
    }
  };

  /** Copilot's user folder is read by VS Code only when chat.hookFilesLocations lists it (older builds lack the default). */
  function copilotLocationChange(): { key: string; value: Record<string, unknown> } | null {
    const key = tilde(dirname(userPath('copilot')), home);
    const inspected = vscode.workspace.getConfiguration('chat').inspect<Record<string, unknown>>('hookFilesLocations');
    const global = inspected?.globalValue ?? {};
    if (global[key] === true || (global[key] === undefined && inspected?.defaultValue?.[key] === true)) return null;
    return { key, value: { ...global, [key]: true } };
  }

  async function connect(preselect?: readonly AgentId[]): Promise<void> {
    const state = AGENT_IDS.map((agent) => {
      const path = userPath(agent);
      const connected = isConnected(agent, safeRead(path));
      const outdated = connected && planHookChange(agent, userScope, false, program, safeRead).changed;
      return { agent, path, connected, outdated, found: agentFound(agent, home, env) };
    });
    // Agents on this machine first; each says whether it is installed here and whether it is connected.
    const items: AgentPickItem[] = [...state.filter((s) => s.found), ...state.filter((s) => !s.found)].map((s) => ({
      agent: s.agent,
      label: AGENT_NAMES[s.agent],
      description: pickDescription(s),
      detail: s.path,
      picked: preselect ? preselect.includes(s.agent) || s.connected : s.connected,
    }));
    // The stable launcher, as short as a person reads it (`~/.local/state/agent-guard/bin/…`).
    const command = program.launcher ? `${tilde(program.launcher, home)} hook <agent>` : hookCommand('<agent>' as AgentId, program);
    const picked = await ui.pick(items, command);
    if (!picked) return;
    const want = new Set(picked.map((p) => p.agent));
    const edits: HookEdit[] = [];
    for (const s of state) {
      if (want.has(s.agent) || s.connected) edits.push(planHookChange(s.agent, userScope, !want.has(s.agent), program, safeRead));
    }
    const settingChange = want.has('copilot') ? copilotLocationChange() : null;
    const changes = edits.filter((e) => e.changed || e.problem);
    if (!changes.length && !settingChange) {
      await ui.info('Agent Guard: the agents are already connected as chosen; nothing to change.');
      return;
    }
    const parts = changes.map((e) => `# ${AGENT_NAMES[e.agent]} — ${e.path}\n${e.problem ? `# cannot edit: ${e.problem}\n${e.entry ? `# add this to "hooks"."${HOOK_SPECS[e.agent].event}" by hand:\n${JSON.stringify(e.entry, null, 2)}\n` : ''}` : renderDiff(e.path, e.before, e.after)}`);
    if (settingChange) parts.push(`# VS Code user setting chat.hookFilesLocations (so VS Code runs the hooks in ${settingChange.key})\n-${JSON.stringify(vscode.workspace.getConfiguration('chat').inspect('hookFilesLocations')?.globalValue ?? {})}\n+${JSON.stringify(settingChange.value)}\n`);
    await ui.preview(parts.join('\n'));
    const writable = changes.filter((e) => !e.problem);
    if (!writable.length && !settingChange) {
      await ui.warn(`Agent Guard could not edit ${changes.map((e) => e.path).join(', ')}: see the preview for what to fix.`);
      return;
    }
    const ok = await ui.confirm(
      `Write Agent Guard's hook changes to ${writable.length + (settingChange ? 1 : 0)} file${writable.length + (settingChange ? 1 : 0) === 1 ? '' : 's'}?`,
      'The preview shows every line that changes. Hooks and settings already there are kept; only Agent Guard\'s own entries are added or removed.',
      'Write',
    );
    if (!ok) return;
    const notes: string[] = [];
    const failures: string[] = [];
    for (const e of writable) {
      try {
        if (program.launcher && e.after !== null) writeLauncher(deps.stateDir ?? stateDir(), program);
        write(e.path, e.after);
        snapshots.set(e.path, e.after);
        if (want.has(e.agent)) notes.push(...HOOK_SPECS[e.agent].notes);
      } catch (err) {
        failures.push(`${e.path}: ${(err as Error).message}`);
      }
    }
    if (settingChange) {
      try {
        await vscode.workspace.getConfiguration('chat').update('hookFilesLocations', settingChange.value, vscode.ConfigurationTarget.Global);
      } catch (err) {
        failures.push(`chat.hookFilesLocations: ${(err as Error).message}`);
      }
    }
    if (failures.length) await ui.warn(`Agent Guard could not write: ${failures.join('; ')}`);
    if (changes.some((e) => e.problem)) await ui.warn(`Agent Guard left ${changes.filter((e) => e.problem).map((e) => e.path).join(', ')} unchanged: see the preview for what to fix.`);
    await ui.info(`Agent Guard: hooks updated.${notes.length ? ' ' + notes.join(' ') : ''}`);
  }

  disposables.push(vscode.commands.registerCommand(CONNECT_AGENTS_COMMAND, () => connect().catch((e) => log(`Agent Guard: connect agents failed: ${(e as Error).stack ?? e}`))));

  // ---- watchers: hook files (outside the workspace, so polled) ----

  const snapshots = new Map<string, string | null>();
  const watched: { path: string; agent?: AgentId }[] = [
    ...AGENT_IDS.map((agent) => ({ path: userPath(agent), agent })),
    // A repository's own settings can switch user-level hooks off (disableAllHooks, hooksConfig.enabled/disabled, an
    // `env` or .env variable such as QWEN_CODE_SIMPLE).
    ...(vscode.workspace.workspaceFolders ?? []).flatMap((f) =>
      ['.claude/settings.json', '.claude/settings.local.json', '.gemini/settings.json', '.qwen/settings.json', '.qwen/.env', '.env', '.github/copilot/settings.json', '.github/copilot/settings.local.json'].map((p) => ({ path: join(f.uri.fsPath, p) })),
    ),
  ];

  function check(path: string, agent: AgentId | undefined, before: string | null): void {
    const after = safeRead(path);
    snapshots.set(path, after);
    if (after === before) return;
    const warnings = agent ? hookFileLoosening(agent, path, before, after) : hookOffSwitches(path, after).filter((w) => !hookOffSwitches(path, before).includes(w));
    if (!warnings.length) return;
    void ui.warn(`Agent Guard: ${warnings.join(' ')}`, ...(agent ? ['Reconnect'] : [])).then((a) => {
      if (a === 'Reconnect' && agent) return connect([agent]);
    });
  }

  for (const { path, agent } of watched) {
    const initial = safeRead(path);
    snapshots.set(path, initial);
    // A repository that already ships an off-switch is as loose as one that just added it.
    if (!agent) check(path, undefined, null);
    const listener = () => check(path, agent, snapshots.get(path) ?? null);
    watchFile(path, { interval: deps.pollMs ?? 2000, persistent: false }, listener);
    disposables.push({ dispose: () => unwatchFile(path, listener) });
  }

  // ---- watchers: settings ----

  let samples: GatedSample[] | undefined;
  const chat = () => vscode.workspace.getConfiguration('chat');
  let autoApprove = chat().get<unknown>('tools.terminal.autoApprove');
  let globalAutoApprove = chat().get<unknown>('tools.global.autoApprove');
  let locations = chat().get<unknown>('hookFilesLocations');
  const hookLocations = AGENT_IDS.filter((a) => a === 'copilot' || a === 'claude').map((a) => tilde(userPath(a), home));
  disposables.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      const warnings: string[] = [];
      if (e.affectsConfiguration('chat.tools.terminal.autoApprove')) {
        const next = chat().get<unknown>('tools.terminal.autoApprove');
        warnings.push(...autoApproveLoosening(autoApprove, next, (samples ??= gatedSamples())));
        autoApprove = next;
      }
      if (e.affectsConfiguration('chat.tools.global.autoApprove')) {
        const next = chat().get<unknown>('tools.global.autoApprove');
        if (next === true && globalAutoApprove !== true) warnings.push('chat.tools.global.autoApprove is now on: Copilot runs every tool without asking (Agent Guard\'s hooks still hold what they gate).');
        globalAutoApprove = next;
      }
      if (e.affectsConfiguration('chat.hookFilesLocations')) {
        const next = chat().get<unknown>('hookFilesLocations');
        warnings.push(...hookLocationsLoosening(locations, next, hookLocations));
        locations = next;
      }
      if (warnings.length) {
        void ui.warn(`Agent Guard: a setting now lets more through. ${warnings.join(' ')}`, 'Open Settings').then((a) => {
          if (a === 'Open Settings') return vscode.commands.executeCommand('workbench.action.openSettingsJson');
        });
      }
    }),
  );

  // Hooks written by an older install point at a VS Code or extension path that an update may have removed.
  const outdated = AGENT_IDS.filter((agent) => isConnected(agent, snapshots.get(userPath(agent)) ?? null) && planHookChange(agent, userScope, false, program, safeRead).changed);
  if (outdated.length) {
    void ui.info(`Agent Guard's hooks for ${outdated.map((a) => AGENT_NAMES[a]).join(', ')} point at an older install. Update them?`, 'Update').then((a) => {
      if (a === 'Update') return connect(outdated);
    });
  }

  return disposables;
}
