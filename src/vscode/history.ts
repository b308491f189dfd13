// The local history in the editor: a baseline of each workspace folder in the background, captures on file events
// and before the gate lets a command run, a notification when files vanish that no decision explains, and restore.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AuditLog } from '../core/audit/log';
import { stateDir } from '../core/paths';
import type { Decision, Tier } from '../core/types';
import { describeLoss, LossWatch } from '../gate/history/notice';
import { DEFAULT_HISTORY_LIMITS, FolderHistory, HistoryLimits, HistoryRecord, HistoryRoot, Loss } from '../gate/history/store';
import { PreimageStore } from '../gate/preimage';
import { registerCommands } from './commands';

const SECTION = 'agentGuard.history';
const MB = 1024 * 1024;
/** File events are gathered this long before they are captured. */
const DEBOUNCE_MS = 300;
/** Losses are gathered this long before one notification names them. */
const REPORT_MS = 1_000;

export function historyLimitsFromSettings(): HistoryLimits {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const num = (key: string, dflt: number) => {
    const v = cfg.get<number>(key);
    return typeof v === 'number' && v > 0 ? v : dflt;
  };
  const extra = cfg.get<string[]>('exclude');
  return {
    maxFileBytes: num('maxFileSizeMB', DEFAULT_HISTORY_LIMITS.maxFileBytes / MB) * MB,
    maxStoreBytes: num('maxStoreSizeMB', DEFAULT_HISTORY_LIMITS.maxStoreBytes / MB) * MB,
    keepDays: num('keepDays', DEFAULT_HISTORY_LIMITS.keepDays),
    exclude: Array.isArray(extra) ? extra.filter((x) => typeof x === 'string') : DEFAULT_HISTORY_LIMITS.exclude,
  };
}

export interface HistoryDeps {
  log: (line: string) => void;
  audit: AuditLog;
  tierFor: (path: string) => Tier;
}

export interface EditorHistory {
  root: HistoryRoot;
  losses: LossWatch;
  /** Database pre-images, beside the file history. */
  preimages: PreimageStore;
  /** Before the gate lets a command run: what it may change is captured first. Fast when nothing changed. */
  beforeCommand(decision: Decision, cwd: string): void;
  disposables: vscode.Disposable[];
}

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? '' : 's'}`;
}

export function startHistory(context: vscode.ExtensionContext, deps: HistoryDeps): EditorHistory {
  const { log } = deps;
  const enabled = () => vscode.workspace.getConfiguration(SECTION).get<boolean>('enabled', true);
  const root = new HistoryRoot(join(context.globalStorageUri.fsPath, 'history'), historyLimitsFromSettings);
  const losses = new LossWatch();
  const preimages = new PreimageStore(join(root.dir, 'preimages'), { maxBytes: 500 * MB, timeoutMs: 20_000 });
  const disposables: vscode.Disposable[] = [];
  const folders = new Map<string, { history: FolderHistory; watcher: vscode.FileSystemWatcher; timer?: NodeJS.Timeout; cancelled: boolean }>();
  let pending: Loss[] = [];
  let reportTimer: NodeJS.Timeout | undefined;

  try {
    root.ensureDir();
    // The CLI finds the editor's history through this pointer.
    mkdirSync(stateDir(), { recursive: true, mode: 0o700 });
    writeFileSync(join(stateDir(), 'history-location'), root.dir + '\n', { mode: 0o600 });
  } catch (e) {
    log(`history: cannot prepare ${root.dir}: ${(e as Error).message}`);
  }

  const report = (found: Loss[]) => {
    const unexplained = losses.unexplained(found);
    for (const l of found) if (!unexplained.includes(l)) log(`history: ${l.rel} ${l.kind}, explained by a recent decision or edit`);
    if (!unexplained.length) return;
    pending.push(...unexplained);
    clearTimeout(reportTimer);
    reportTimer = setTimeout(() => {
      const batch = pending;
      pending = [];
      const byFolder = new Map<string, Loss[]>();
      for (const l of batch) {
        const f = [...folders.keys()].find((p) => l.path.startsWith(p)) ?? '';
        byFolder.set(f, [...(byFolder.get(f) ?? []), l]);
      }
      for (const [folder, list] of byFolder) void notify(folder, list);
    }, REPORT_MS);
  };

  const notify = async (folder: string, list: Loss[]) => {
    const text = describeLoss(list);
    log(`history: ${folder}: ${text}`);
    void deps.audit
      .append({
        time: new Date().toISOString(),
        workspace: folder,
        tier: deps.tierFor(folder),
        source: 'history',
        cwd: folder,
        command: `(not a command) ${list.length} file(s) ${list.some((l) => l.kind === 'truncated') ? 'deleted or emptied' : 'deleted'}: ${list.slice(0, 20).map((l) => l.rel).join(' ')}${list.length > 20 ? ' …' : ''}`,
        rules: ['history.unexplained-loss'],
        resource: list[0].rel,
        decision: 'allow',
        outcome: 'ran',
        decidedBy: 'auto',
        reason: text,
      })
      .catch((e: Error) => log(`history: audit line not written: ${e.message}`));
    const answer = await vscode.window.showWarningMessage(`Agent Guard: ${text}.`, 'Restore', 'Show files');
    if (answer === 'Restore') await restoreLosses(folder, list);
    else if (answer === 'Show files') {
      const pick = await vscode.window.showQuickPick(
        list.map((l) => ({ label: l.rel, description: `${l.kind}, ${l.size} bytes`, picked: true, l })),
        { canPickMany: true, title: 'Agent Guard: restore which files?' },
      );
      if (pick?.length) await restoreLosses(folder, pick.map((p) => p.l));
    }
  };

  const restoreLosses = async (folder: string, list: Loss[]) => {
    const h = root.folder(folder);
    let results = h.restore(list.map((l) => ({ rel: l.rel, version: l.version })));
    const existing = results.filter((r) => r.outcome === 'exists');
    if (existing.length) {
      const ok = await vscode.window.showWarningMessage(
        `${plural(existing.length, 'file')} exist now with other content. Overwrite with the version from before the loss?`,
        { modal: true, detail: existing.slice(0, 8).map((r) => vscode.workspace.asRelativePath(r.path)).join('\n') + '\n\nTheir current content stays in the history.' },
        'Overwrite',
      );
      if (ok === 'Overwrite') {
        const again = new Set(existing.map((r) => r.path));
        results = [...results.filter((r) => !again.has(r.path)), ...h.restore(list.filter((l) => again.has(l.path)).map((l) => ({ rel: l.rel, version: l.version })), { overwrite: true })];
      }
    }
    summarize(results);
  };

  const summarize = (results: { path: string; outcome: string; error?: string }[]) => {
    const n = (o: string) => results.filter((r) => r.outcome === o).length;
    for (const r of results) if (r.outcome === 'failed') log(`history: restore ${r.path} failed: ${r.error}`);
    const parts = [`${plural(n('restored'), 'file')} restored`];
    if (n('identical')) parts.push(`${n('identical')} already identical`);
    if (n('exists')) parts.push(`${n('exists')} kept as they are`);
    if (n('failed')) parts.push(`${n('failed')} failed (see Output › Agent Guard)`);
    log(`history: ${parts.join(', ')}`);
    void (n('failed') ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(`Agent Guard: ${parts.join(', ')}.`);
  };

  const capture = (folder: string) => {
    const f = folders.get(folder);
    if (!f) return;
    try {
      const r = f.history.captureDirty();
      if (r.changed) log(`history: ${folder}: captured ${plural(r.changed, 'change')} in ${r.ms.toFixed(1)} ms`);
      if (r.lost.length) report(r.lost);
    } catch (e) {
      log(`history: capture in ${folder} failed: ${(e as Error).message}`);
    }
  };

  const open = (folder: vscode.WorkspaceFolder) => {
    if (folder.uri.scheme !== 'file' || folders.has(folder.uri.fsPath) || !enabled()) return;
    const path = folder.uri.fsPath;
    const history = root.folder(path);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
    const entry = { history, watcher, timer: undefined as NodeJS.Timeout | undefined, cancelled: false };
    const onEvent = (uri: vscode.Uri) => {
      history.markDirty(uri.fsPath);
      if (!history.dirtyCount) return;
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => capture(path), DEBOUNCE_MS);
    };
    watcher.onDidChange(onEvent);
    watcher.onDidCreate(onEvent);
    watcher.onDidDelete(onEvent);
    folders.set(path, entry);
    // The baseline: after start-up settles, in slices, never holding the window.
    setTimeout(() => {
      if (entry.cancelled) return;
      void history.scan({ cancelled: () => entry.cancelled }).then(
        (r) => log(`history: ${path}: baseline ${plural(r.changed, 'new version')}, ${r.unchanged} unchanged, ${r.skipped} skipped, ${r.lost.length} gone since last time, in ${(r.ms / 1000).toFixed(1)} s`),
        (e: Error) => log(`history: baseline of ${path} failed: ${e.message}`),
      );
    }, 2_000);
  };
  const close = (path: string) => {
    const f = folders.get(path);
    if (!f) return;
    f.cancelled = true;
    clearTimeout(f.timer);
    f.watcher.dispose();
    folders.delete(path);
  };
  for (const f of vscode.workspace.workspaceFolders ?? []) open(f);
  disposables.push(
    vscode.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const f of e.removed) close(f.uri.fsPath);
      for (const f of e.added) open(f);
    }),
    vscode.workspace.onWillDeleteFiles((e) => losses.edit(e.files.map((u) => u.fsPath))),
    vscode.workspace.onWillRenameFiles((e) => losses.edit(e.files.map((f) => f.oldUri.fsPath))),
    { dispose: () => [...folders.keys()].forEach(close) },
  );
  // Pruning: once at start, then daily.
  const prune = () => {
    try {
      const r = root.prune();
      if (r.records || r.objects) log(`history: pruned ${plural(r.records, 'version')}, ${plural(r.objects, 'object')} (${(r.bytes / MB).toFixed(1)} MB)`);
    } catch (e) {
      log(`history: pruning failed: ${(e as Error).message}`);
    }
  };
  const pruneTimer = setTimeout(prune, 60_000);
  const daily = setInterval(prune, 86_400_000);
  disposables.push({ dispose: () => (clearTimeout(pruneTimer), clearInterval(daily)) });

  disposables.push(
    ...registerCommands({
      'agentGuard.restoreDeletedFiles': () => restoreDeleted(root, [...folders.keys()], summarize),
      'agentGuard.restoreFileFromHistory': () => restoreFileVersion(root, [...folders.keys()], summarize),
      'agentGuard.restoreDatabasePreimage': () => restorePreimage(preimages, log),
      'agentGuard.historyStatus': () => vscode.window.showInformationMessage(`Agent Guard: ${root.status()}`),
    }),
  );

  return {
    root,
    losses,
    preimages,
    beforeCommand(decision, cwd) {
      losses.decision(decision, cwd);
      for (const [path, f] of folders) {
        if (cwd === path || cwd.startsWith(path + '/') || path.startsWith(cwd + '/')) {
          if (f.history.dirtyCount) capture(path);
        }
      }
    },
    disposables,
  };
}

async function pickFolder(folders: string[]): Promise<string | undefined> {
  if (folders.length <= 1) return folders[0];
  return (await vscode.window.showQuickPick(folders, { title: 'Agent Guard: which folder?' })) ?? undefined;
}

/** *Restore deleted files…*: by time (deletions grouped by minute), or by folder. */
async function restoreDeleted(root: HistoryRoot, folders: string[], summarize: (r: { path: string; outcome: string; error?: string }[]) => void): Promise<void> {
  const folder = await pickFolder(folders);
  if (!folder) return;
  const h = root.folder(folder);
  const gone = h.deleted();
  if (!gone.length) return void vscode.window.showInformationMessage('Agent Guard: the history holds no deleted files for this folder.');
  const groups = new Map<string, Loss[]>();
  for (const l of gone) {
    const minute = new Date(Math.floor(l.time / 60_000) * 60_000).toLocaleString();
    const top = l.rel.includes('/') ? l.rel.slice(0, l.rel.indexOf('/') + 1) : l.rel;
    const key = `${minute}\u0000${top}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  const picks = await vscode.window.showQuickPick(
    [...groups].map(([key, list]) => {
      const [minute, top] = key.split('\u0000');
      return { label: `$(history) ${top}`, description: `${minute} · ${plural(list.length, 'file')}`, detail: list.slice(0, 5).map((l) => l.rel).join(', '), list, picked: false };
    }),
    { canPickMany: true, title: 'Agent Guard: restore deleted files', placeHolder: 'Deletions by time and folder', matchOnDescription: true, matchOnDetail: true },
  );
  if (!picks?.length) return;
  summarize(h.restore(picks.flatMap((p) => p.list).map((l) => ({ rel: l.rel, version: l.version }))));
}

/** One file's versions (the active editor's file, or one picked), newest first; the chosen one is written back. */
async function restoreFileVersion(root: HistoryRoot, folders: string[], summarize: (r: { path: string; outcome: string; error?: string }[]) => void): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  let folder = active && folders.find((f) => active.fsPath.startsWith(f + '/'));
  let rel = folder && active ? active.fsPath.slice(folder.length + 1).split('\\').join('/') : undefined;
  if (!folder || !rel) {
    folder = await pickFolder(folders);
    if (!folder) return;
    const h = root.folder(folder);
    const all = [...h.current(), ...h.deleted().map((l) => l.version)].map((r) => r.p);
    rel = await vscode.window.showQuickPick([...new Set(all)].sort(), { title: 'Agent Guard: which file?' });
    if (!rel) return;
  }
  const h = root.folder(folder);
  // The version the file holds now is no restore: leave it out, so the first offered is the one before.
  let nowHash: string | undefined;
  try {
    nowHash = createHash('sha256').update(readFileSync(join(folder, rel))).digest('hex');
  } catch {
    nowHash = undefined;
  }
  const versions = h.versions(rel).filter((r): r is HistoryRecord & { h: string } => !!r.h && r.h !== nowHash);
  if (!versions.length) return void vscode.window.showInformationMessage(`Agent Guard: no versions of ${rel} in the history.`);
  const pick = await vscode.window.showQuickPick(
    versions.map((v) => ({ label: new Date(v.t).toLocaleString(), description: `${v.s} bytes · ${v.h.slice(0, 10)}`, v })),
    { title: `Agent Guard: restore ${rel}`, placeHolder: 'Which version?' },
  );
  if (!pick) return;
  let r = h.restore([{ rel, version: pick.v }]);
  if (r[0]?.outcome === 'exists') {
    // A second pick, not a modal dialog: the person sees both choices where they just chose the version.
    const ok = await vscode.window.showQuickPick(
      [
        { label: `Replace ${rel} with the version of ${pick.label}`, description: 'its current content stays in the history', replace: true },
        { label: `Keep ${rel} as it is`, replace: false },
      ],
      { title: `Agent Guard: ${rel} has other content now` },
    );
    if (!ok?.replace) return;
    r = h.restore([{ rel, version: pick.v }], { overwrite: true });
  }
  summarize(r);
}

/** Lists database pre-images, newest first, and replays the chosen one (after asking). */
async function restorePreimage(store: PreimageStore, log: (line: string) => void): Promise<void> {
  const all = store.list();
  if (!all.length) return void vscode.window.showInformationMessage('Agent Guard: no database pre-images yet. One is taken before an approved DROP, TRUNCATE or DELETE runs.');
  const pick = await vscode.window.showQuickPick(
    all.map((m) => ({
      label: `$(database) ${m.engine === 'sqlite' ? m.file : m.whole ? `database ${m.database}` : `${m.tables.join(', ')} in ${m.database ?? '(default)'}`}`,
      description: `${new Date(m.time).toLocaleString()} · ${(m.bytes / 1024).toFixed(0)} KB`,
      detail: m.command,
      m,
    })),
    { title: 'Agent Guard: restore a database pre-image', matchOnDetail: true },
  );
  if (!pick) return;
  const sure = await vscode.window.showWarningMessage(
    `Restore ${pick.label.replace('$(database) ', '')} as it was at ${pick.description}?`,
    { modal: true, detail: pick.m.engine === 'sqlite' ? 'The database file is replaced by the pre-image.' : 'The dump is replayed; it stops at the first error (for example, if the table exists again).' },
    'Restore',
  );
  if (sure !== 'Restore') return;
  const r = await store.restore(pick.m.id, { overwrite: pick.m.engine === 'sqlite' });
  log(`pre-image: ${r.message}`);
  void (r.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage)(`Agent Guard: ${r.message}.`);
}
