// Snapshots in the editor: copies files before a WorkspaceEdit or the Explorer deletes them, copies what an approved
// command deletes, and lets a person put them back. The commands take no arguments: any extension can call them.

import { dirname, sep } from 'node:path';
import * as vscode from 'vscode';
import type { ApprovalRequest } from '../gate/service';
import { SnapshotInfo, SnapshotLimits, SnapshotManifest, SnapshotResult, SnapshotStore, snapshotBeforeDelete } from '../gate/snapshots';
import { registerCommands } from './commands';

export interface SnapshotDeps {
  store: SnapshotStore;
  log: (line: string) => void;
}

const SECTION = 'agentGuard.snapshots';
const MB = 1024 * 1024;
/** More entries than this are offered by their top-level folders rather than one by one. */
const MAX_PICK_ITEMS = 2000;

/** The snapshot limits from user settings (all application scope: a workspace cannot lower them). */
export function snapshotLimitsFromSettings(): Partial<SnapshotLimits> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const mb = (key: string) => {
    const v = cfg.get<number>(key);
    return typeof v === 'number' && v > 0 ? v * MB : undefined;
  };
  return { maxFileBytes: mb('maxFileSizeMB'), maxSnapshotBytes: mb('maxSnapshotSizeMB'), maxStoreBytes: mb('maxStoreSizeMB') };
}

function keepDays(): number {
  const v = vscode.workspace.getConfiguration(SECTION).get<number>('keepDays');
  return typeof v === 'number' && v > 0 ? v : 30;
}

/** How long the editor waits for delete participants, less a margin to write the manifest. */
function participantBudgetMs(): number {
  const t = vscode.workspace.getConfiguration('files').get<number>('participants.timeout', 60_000);
  return t > 0 ? Math.max(2_000, t - 3_000) : 60_000;
}

function workspaceFor(path: string): string | undefined {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(path))?.uri.fsPath;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < MB) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / MB).toFixed(1)} MB`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeResult(r: SnapshotResult, what: string): string {
  const skipped = r.skippedCount ? `; ${r.skippedCount} not copied (${r.skipped.slice(0, 3).map((s) => `${s.path}: ${s.reason}`).join('; ')}${r.skippedCount > 3 ? '; …' : ''})` : '';
  const pruned = r.pruned.length ? `; pruned ${plural(r.pruned.length, 'older snapshot')} to stay under the store limit` : '';
  return r.id
    ? `snapshot ${r.id} of ${what}: ${plural(r.files, 'file')}, ${formatBytes(r.bytes)} in ${r.ms} ms${skipped}${pruned}`
    : `nothing copied before ${what}${skipped}`;
}

/** Snapshots what an approved command deletes; the gate passes it as `beforeRun`. Never rejects. */
export function snapshotBeforeRun(store: SnapshotStore, log: (line: string) => void): (req: ApprovalRequest) => Promise<string | undefined> {
  return async (req) => {
    const note = await snapshotBeforeDelete(store, req, { workspace: workspaceFor(req.cwd), log, describe: describeResult });
    void store.pruneOlderThan(keepDays()).catch(() => undefined);
    return note;
  };
}

export function registerSnapshots(_context: vscode.ExtensionContext, deps: SnapshotDeps): vscode.Disposable[] {
  const { store, log } = deps;
  void store.pruneOlderThan(keepDays()).then(
    (ids) => ids.length && log(`snapshots: removed ${plural(ids.length, 'snapshot')} older than ${keepDays()} days`),
    (e: Error) => log(`snapshots: pruning failed: ${e.message}`),
  );

  const onWillDelete = vscode.workspace.onWillDeleteFiles((e) => {
    const paths = e.files.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    if (!paths.length) return;
    // waitUntil must be called now, inside the event: the delete waits for the copy.
    e.waitUntil(snapshotWorkspaceDelete(store, log, paths));
  });

  const commands = registerCommands({
    'agentGuard.restoreSnapshot': () => restoreSnapshot(store, log),
    'agentGuard.openSnapshots': () => openSnapshots(store),
  });
  return [onWillDelete, ...commands];
}

async function snapshotWorkspaceDelete(store: SnapshotStore, log: (line: string) => void, paths: string[]): Promise<void> {
  // One snapshot per workspace folder, so each keeps the folder's layout.
  const groups = new Map<string, string[]>();
  for (const p of paths) {
    const ws = workspaceFor(p) ?? '';
    groups.set(ws, [...(groups.get(ws) ?? []), p]);
  }
  const deadline = participantBudgetMs();
  for (const [ws, group] of groups) {
    try {
      const r = await store.snapshot(group, { cwd: ws || process.cwd(), source: 'workspace-edit', workspace: ws || undefined, timeoutMs: deadline });
      log(describeResult(r, `a delete of ${group.length === 1 ? group[0] : plural(group.length, 'item')}`));
    } catch (e) {
      log(`snapshot before a delete failed: ${(e as Error).message}`);
    }
  }
  void store.pruneOlderThan(keepDays()).catch(() => undefined);
}

function snapshotItem(s: SnapshotInfo): vscode.QuickPickItem & { s: SnapshotInfo } {
  const what = s.command ? `$ ${s.command.length > 100 ? s.command.slice(0, 100) + '…' : s.command}` : s.roots.map((r) => vscode.workspace.asRelativePath(r)).join(', ');
  return {
    label: `$(history) ${new Date(s.time).toLocaleString()}`,
    description: `${s.source} · ${plural(s.files, 'file')} · ${formatBytes(s.bytes)}${s.skipped ? ` · ${s.skipped} not copied` : ''}`,
    detail: what,
    s,
  };
}

/** Files, links and empty folders one by one; for big snapshots, the paths that were deleted. */
function restorableItems(m: SnapshotManifest): (vscode.QuickPickItem & { path: string })[] {
  const parents = new Set(m.entries.map((e) => dirname(e.path)));
  const leaves = m.entries.filter((e) => e.kind !== 'dir' || !parents.has(e.path));
  if (leaves.length <= MAX_PICK_ITEMS) {
    return leaves.map((e) => ({
      label: vscode.workspace.asRelativePath(e.path),
      description: e.kind === 'dir' ? 'empty folder' : e.kind === 'symlink' ? `link → ${e.target}` : formatBytes(e.size),
      path: e.path,
      picked: true,
    }));
  }
  return m.roots.map((r) => {
    const n = m.entries.filter((e) => e.kind !== 'dir' && (e.path === r || e.path.startsWith(r + sep))).length;
    return { label: vscode.workspace.asRelativePath(r), description: plural(n, 'file'), path: r, picked: true };
  });
}

async function restoreSnapshot(store: SnapshotStore, log: (line: string) => void): Promise<void> {
  const snaps = store.list();
  if (!snaps.length) return void vscode.window.showInformationMessage('Agent Guard: no snapshots yet. Files are copied here before an approved command or an editor edit deletes them.');
  const pick = await vscode.window.showQuickPick(snaps.map(snapshotItem), { title: 'Agent Guard: restore deleted files', placeHolder: 'Which snapshot?', matchOnDescription: true, matchOnDetail: true });
  if (!pick) return;
  let manifest: SnapshotManifest;
  try {
    manifest = store.manifest(pick.s.id);
  } catch (e) {
    return void vscode.window.showErrorMessage(`Agent Guard: cannot read snapshot ${pick.s.id} (${(e as Error).message}). Its folder is ${pick.s.dir}.`);
  }
  const items = restorableItems(manifest);
  const chosen = await vscode.window.showQuickPick(items, { title: `Agent Guard: restore from ${new Date(manifest.time).toLocaleString()}`, placeHolder: 'Files to put back (all are selected)', canPickMany: true, matchOnDescription: true });
  if (!chosen?.length) return;
  const only = chosen.length === items.length ? undefined : chosen.map((c) => c.path);

  const existing = await store.existing(manifest.id, only);
  let overwrite = false;
  if (existing.length) {
    const shown = existing.slice(0, 8).map((p) => vscode.workspace.asRelativePath(p)).join('\n');
    const answer = await vscode.window.showWarningMessage(
      `${plural(existing.length, 'file')} already exist${existing.length === 1 ? 's' : ''} and differ from the snapshot. Overwrite?`,
      { modal: true, detail: `${shown}${existing.length > 8 ? `\n… and ${existing.length - 8} more` : ''}\n\nThe current versions are snapshotted first.` },
      'Overwrite',
      'Restore only missing files',
    );
    if (!answer) return;
    overwrite = answer === 'Overwrite';
    if (overwrite) {
      const before = await store.snapshot(existing, { cwd: manifest.cwd, source: 'before-restore', command: `restore ${manifest.id}`, workspace: manifest.workspace });
      log(describeResult(before, `restoring ${manifest.id} over existing files`));
    }
  }

  const r = await store.restore(manifest.id, { overwrite, only });
  for (const f of r.results) if (f.outcome === 'failed' || f.outcome === 'exists') log(`restore ${manifest.id}: ${f.path}: ${f.outcome}${f.error ? ` (${f.error})` : ''}`);
  log(`restore ${manifest.id}: ${r.restored} restored, ${r.overwritten} overwritten, ${r.kept} kept, ${r.failed} failed`);
  const parts = [`${plural(r.restored + r.overwritten, 'item')} restored`];
  if (r.overwritten) parts.push(`${r.overwritten} overwritten`);
  if (r.kept) parts.push(`${r.kept} kept as they are`);
  if (r.failed) parts.push(`${r.failed} failed (see Output › Agent Guard)`);
  const say = r.failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void say(`Agent Guard: ${parts.join(', ')}.`);
}

async function openSnapshots(store: SnapshotStore): Promise<void> {
  store.ensureDir();
  const uri = vscode.Uri.file(store.dir);
  // In a remote window the folder is on the remote machine: open it in a new window there.
  if (vscode.env.remoteName) await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
  else await vscode.env.openExternal(uri);
}
