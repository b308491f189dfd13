// Each folder's environment label and the freeze. Raising protection takes effect at once; lowering it (a settings
// file now says development where it said production, or a .env.production file disappears) waits for a person.

import * as vscode from 'vscode';
import { Detection, detectTier, stricterTier, tierRank } from '../core/environment';
import { readSignals } from '../core/folderTier';
import { stateDir } from '../core/paths';
import { raiseFloor, setFloorAfterTypedApproval } from '../core/tierFloor';
import type { Tier } from '../core/types';
import { askTyped } from './approvalPrompt';
import { configuredTier } from './config';

export interface FolderEnvironment {
  folder: vscode.WorkspaceFolder;
  tier: Tier;
  configured?: Tier;
  detected: Detection;
  /** A lower label waiting for a person to accept it. */
  pending?: Tier;
  problem?: string;
}

const FLOOR_KEY = 'agentGuard.acceptedTier:';
const FREEZE_KEY = 'agentGuard.freeze';

export class EnvironmentService implements vscode.Disposable {
  private readonly folders = new Map<string, FolderEnvironment>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly asking = new Set<string>();

  constructor(
    private readonly global: vscode.Memento,
    private readonly workspace: vscode.Memento,
    private readonly log: (line: string) => void,
    private readonly timeoutMs: () => number,
  ) {}

  dispose(): void {
    this.changed.dispose();
  }

  list(): FolderEnvironment[] {
    return [...this.folders.values()];
  }

  get frozen(): boolean {
    return this.workspace.get<boolean>(FREEZE_KEY, false);
  }

  async setFrozen(on: boolean): Promise<boolean> {
    if (!on && this.frozen) {
      const a = await askTyped({ title: 'Agent Guard: lift the freeze?', prompt: 'Type unfreeze to lift it: commands that change state then run under the usual rules again.', expected: 'unfreeze', action: 'lift the freeze', timeoutMs: this.timeoutMs() });
      if (a !== 'match') return false;
    }
    await this.workspace.update(FREEZE_KEY, on);
    this.log(`freeze ${on ? 'on' : 'off'}`);
    this.changed.fire();
    return true;
  }

  /** The tier that governs a command run in cwd: its folder's, or the strictest when cwd is outside every folder. */
  tierFor(cwd: string | undefined): Tier {
    const f = cwd ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(cwd)) : undefined;
    const hit = f && this.folders.get(f.uri.toString());
    return hit ? hit.tier : this.strictest();
  }

  strictest(): Tier {
    return this.list().reduce<Tier>((acc, f) => stricterTier(acc, f.tier), 'unknown');
  }

  folderFor(cwd: string | undefined): FolderEnvironment | undefined {
    const f = cwd ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(cwd)) : undefined;
    return f ? this.folders.get(f.uri.toString()) : this.list()[0];
  }

  async refresh(): Promise<void> {
    const seen = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const key = folder.uri.toString();
      seen.add(key);
      const detected = folder.uri.scheme === 'file' ? detectTier(readSignals(folder.uri.fsPath)) : { tier: 'unknown' as Tier, evidence: ['not a local folder'] };
      const { tier: configured, problem } = configuredTier(folder.uri);
      if (problem) this.log(problem);
      const candidate = configured ?? detected.tier;
      const floor = this.global.get<Tier>(FLOOR_KEY + key);
      const state: FolderEnvironment = { folder, tier: candidate, configured, detected, problem };
      if (floor && tierRank(candidate) < tierRank(floor)) {
        state.tier = floor;
        state.pending = candidate;
        void this.askToLower(state, floor, candidate);
      } else if (floor !== candidate) {
        // Stored in the background: the Memento answers get() with the new floor at once, and waiting for the write (a
        // round trip to the window) held activation, and so the terminal gate, back by ~0.6 s.
        Promise.resolve(this.global.update(FLOOR_KEY + key, candidate)).catch((e: Error) => this.log(`could not store the environment floor: ${e.message}`));
      }
      // The hooks' floor outside the workspace (read when no window answers them) follows what this window settled on,
      // on the next turn: while this window is up, the hooks ask it, and the start of the terminals' gate does not wait.
      // The tier is read when the write runs: a lowering a person typed in the meantime is not undone by an older one.
      if (folder.uri.scheme === 'file') {
        setImmediate(() => {
          const now = this.folders.get(key);
          if (now) this.keepHookFloor(() => raiseFloor(stateDir(), folder.uri.fsPath, now.tier));
        });
      }
      this.folders.set(key, state);
    }
    for (const k of [...this.folders.keys()]) if (!seen.has(k)) this.folders.delete(k);
    this.changed.fire();
  }

  private async askToLower(state: FolderEnvironment, from: Tier, to: Tier): Promise<void> {
    const key = state.folder.uri.toString();
    if (this.asking.has(key)) return;
    this.asking.add(key);
    try {
      const source = state.configured === to ? 'Settings now label' : 'The workspace now looks like';
      const a = await askTyped({
        title: `Agent Guard: lower protection for "${state.folder.name}"?`,
        prompt: `Type ${to} to accept: ${source} "${state.folder.name}" as ${to}; it was ${from}. Until a person accepts, it stays ${from}.`,
        expected: to,
        action: `lower it to ${to}`,
        timeoutMs: this.timeoutMs(),
      });
      this.log(`lowering ${state.folder.name} from ${from} to ${to}: ${a === 'match' ? 'accepted' : `kept ${from} (${a})`}`);
      if (a === 'match') {
        await this.global.update(FLOOR_KEY + key, to);
        if (state.folder.uri.scheme === 'file') this.keepHookFloor(() => setFloorAfterTypedApproval(stateDir(), state.folder.uri.fsPath, to));
        await this.refresh();
      }
    } finally {
      this.asking.delete(key);
    }
  }

  private keepHookFloor(write: () => unknown): void {
    try {
      write();
    } catch (e) {
      this.log(`could not keep the folder's label for agents' hooks: ${(e as Error).message}`);
    }
  }

  /** Writes the label into the folder's settings; lowering still goes through the typed confirmation. */
  async setTier(folder: vscode.WorkspaceFolder, tier: Tier | undefined): Promise<void> {
    // "Detect" takes the key out rather than leaving an empty value behind.
    await vscode.workspace.getConfiguration('agentGuard', folder.uri).update('environment', tier, vscode.ConfigurationTarget.WorkspaceFolder);
    await this.refresh();
  }
}
