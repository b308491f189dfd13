// Finds the transcripts of the open workspace folders and keeps their meters current. One refresh at a time; a
// refresh asked for while one runs is folded into a single follow-up.

import { dirname } from 'node:path';
import type { SessionMeter } from './meter';
import { claudeProjectDirs, claudeTranscripts, codexDayDirs, codexTranscripts, copilotCliTranscripts, copilotTranscripts, geminiTranscripts, isWithin, type TranscriptFile, type TranscriptKind } from './sources';
import { SessionTracker } from './tracker';

export interface MonitorOptions {
  /** Absolute paths of the open workspace folders. */
  folders: readonly string[];
  sources: ReadonlySet<TranscriptKind>;
  claudeProjectsDir: string;
  codexSessionsDir: string;
  /** Gemini CLI's ~/.gemini/tmp and Copilot CLI's session-state folder. */
  geminiTmpDir?: string;
  copilotCliStateDir?: string;
  /** <workspaceStorage>/<hash>/chatSessions of this window's workspace, when known. */
  copilotChatSessionsDir?: string;
  /** Sessions whose transcript changed longer ago than this are not shown. */
  lookBackMs: number;
}

export class ContextMonitor {
  readonly tracker: SessionTracker;
  private options: MonitorOptions;
  private running?: Promise<SessionMeter[]>;
  private again = false;
  private readonly seen = new Map<string, { mtimeMs: number; size: number }>();
  private readonly codexCwd = new Map<string, string | null>();
  private readonly copilotCliCwd = new Map<string, string | null>();
  private lastFiles: TranscriptFile[] = [];

  constructor(options: MonitorOptions, tracker = new SessionTracker()) {
    this.options = options;
    this.tracker = tracker;
  }

  setOptions(options: MonitorOptions): void {
    this.options = options;
  }

  /** Folders worth watching for changes: project, day and chat-session folders plus their parents (for new ones). */
  async watchDirs(now = Date.now()): Promise<string[]> {
    const o = this.options;
    const dirs = new Set<string>();
    if (o.sources.has('claude')) {
      dirs.add(o.claudeProjectsDir);
      for (const d of await claudeProjectDirs(o.claudeProjectsDir, o.folders)) dirs.add(d);
    }
    if (o.sources.has('codex')) {
      for (const d of codexDayDirs(o.codexSessionsDir, now, 1)) {
        dirs.add(d);
        dirs.add(dirname(d));
      }
    }
    if (o.sources.has('copilot') && o.copilotChatSessionsDir) {
      dirs.add(o.copilotChatSessionsDir);
      dirs.add(dirname(o.copilotChatSessionsDir));
    }
    if (o.sources.has('gemini') && o.geminiTmpDir) {
      dirs.add(o.geminiTmpDir);
      for (const f of await geminiTranscripts(o.geminiTmpDir, o.folders, 0)) dirs.add(dirname(f.path));
    }
    if (o.sources.has('copilot-cli') && o.copilotCliStateDir) dirs.add(o.copilotCliStateDir);
    return [...dirs];
  }

  /** Rescans, reads what changed, and returns the meters of sessions in scope, most recently active first. */
  refresh(now = Date.now()): Promise<SessionMeter[]> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        let meters = await this.scan(now);
        while (this.again) {
          this.again = false;
          meters = await this.scan(Date.now());
        }
        return meters;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async scan(now: number): Promise<SessionMeter[]> {
    const o = this.options;
    const since = now - o.lookBackMs;
    const files: TranscriptFile[] = [];
    if (o.sources.has('claude')) files.push(...(await claudeTranscripts(o.claudeProjectsDir, o.folders, since)));
    if (o.sources.has('codex')) files.push(...(await codexTranscripts(o.codexSessionsDir, o.folders, since, now, Math.ceil(o.lookBackMs / 86_400_000), this.codexCwd)));
    if (o.sources.has('copilot') && o.copilotChatSessionsDir) files.push(...(await copilotTranscripts(o.copilotChatSessionsDir, o.folders[0], since)));
    if (o.sources.has('gemini') && o.geminiTmpDir) files.push(...(await geminiTranscripts(o.geminiTmpDir, o.folders, since)));
    if (o.sources.has('copilot-cli') && o.copilotCliStateDir) files.push(...(await copilotCliTranscripts(o.copilotCliStateDir, o.folders, since, this.copilotCliCwd)));
    const keep = new Set(files.map((f) => f.path));
    for (const path of this.tracker.paths()) {
      if (!keep.has(path)) {
        this.tracker.forget(path);
        this.seen.delete(path);
      }
    }
    const meters: SessionMeter[] = [];
    for (const f of files) {
      const before = this.seen.get(f.path);
      let m: SessionMeter | undefined;
      if (before && before.mtimeMs === f.mtimeMs && before.size === f.size && this.tracker.has(f.path)) {
        m = this.tracker.meterOf(f.path);
      } else {
        m = await this.tracker.update(f);
        this.seen.set(f.path, { mtimeMs: f.mtimeMs, size: f.size });
      }
      if (!m) continue;
      // Claude's folder match is by prefix; the records' cwd settles whether the session is ours.
      const cwd = m.cwd;
      if (f.kind === 'claude' && cwd && !o.folders.some((root) => isWithin(cwd, root))) continue;
      meters.push({ ...m, lastActivity: Math.max(m.lastActivity ?? 0, f.mtimeMs) || undefined });
    }
    this.lastFiles = files;
    return meters.sort((a, b) => (b.lastActivity ?? 0) - (a.lastActivity ?? 0));
  }

  /** The transcript files found by the last scan. */
  files(): readonly TranscriptFile[] {
    return this.lastFiles;
  }
}
