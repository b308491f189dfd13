// Transcripts live outside the workspace (~/.claude, ~/.codex, VS Code's own storage), where VS Code's file watcher
// does not look: Node's fs.watch on the folders, with a polling timer behind it for filesystems where watching fails
// or misses events (network drives, WSL mounts, inotify limits).

import { watch, type FSWatcher } from 'node:fs';
import type * as vscode from 'vscode';

export class TranscriptWatcher implements vscode.Disposable {
  private watchers = new Map<string, FSWatcher>();
  private debounce?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private pollMs = 0;

  constructor(private readonly onChange: () => void, pollMs: number, private readonly debounceMs = 300) {
    this.setPollMs(pollMs);
  }

  setPollMs(ms: number): void {
    if (ms === this.pollMs && this.timer) return;
    this.pollMs = ms;
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(this.onChange, ms);
    this.timer.unref?.();
  }

  /** Watches exactly these folders (missing ones are skipped; polling covers them until they appear). */
  setDirs(dirs: readonly string[]): void {
    const want = new Set(dirs);
    for (const [dir, w] of this.watchers) {
      if (!want.has(dir)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
    for (const dir of want) {
      if (this.watchers.has(dir)) continue;
      try {
        const w = watch(dir, { persistent: false }, () => this.changed());
        w.on('error', () => {
          w.close();
          this.watchers.delete(dir);
        });
        this.watchers.set(dir, w);
      } catch {
        // ENOENT, ENOSPC (inotify limit), EPERM: the poll timer still finds the changes.
      }
    }
  }

  watchedDirs(): string[] {
    return [...this.watchers.keys()];
  }

  private changed(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.onChange();
    }, this.debounceMs);
  }

  dispose(): void {
    clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}
