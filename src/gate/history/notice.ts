// Noticing loss: files that vanished or were emptied and that no gate decision or workspace edit of the last
// seconds explains. Node only; the editor shows the report, the audit log keeps it.

import { isAbsolute, resolve, sep } from 'node:path';
import type { Decision } from '../../core/types';
import type { Loss } from './store';

/** How long a decision or an edit explains what disappears after it. */
export const EXPLAIN_WINDOW_MS = 30_000;

interface Explanation {
  time: number;
  /** Absolute paths (a path explains itself and everything under it). */
  paths: string[];
}

const GLOB = /[*?[{]/;

/** The absolute paths a command names, from its findings' simple commands (globs cut back to their folder). */
export function pathsNamedBy(decision: Decision, cwd: string): string[] {
  const out = new Set<string>();
  for (const f of decision.findings) {
    for (const raw of [...f.command.split(/\s+/), ...f.resource.split(/,\s*/)]) {
      let w = raw.replace(/^['"]|['"]$/g, '');
      if (!w || w.startsWith('-')) continue;
      const g = w.search(GLOB);
      if (g >= 0) w = w.slice(0, g).replace(/[^/]*$/, '') || '.';
      w = w.replace(/^~(?=\/|$)/, process.env.HOME ?? '~');
      out.add(resolve(isAbsolute(w) ? w : resolve(cwd, w)).replace(/\/+$/, '') || '/');
    }
  }
  return [...out];
}

export class LossWatch {
  private recent: Explanation[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** A decision that let a command run (allowed with findings, or approved): what it names is expected to go. */
  decision(decision: Decision, cwd: string): void {
    if (!decision.findings.length) return;
    this.add(pathsNamedBy(decision, cwd));
  }

  /** A workspace edit or Explorer delete: its paths are expected to go. */
  edit(paths: string[]): void {
    this.add(paths);
  }

  private add(paths: string[]): void {
    const t = this.now();
    this.recent = this.recent.filter((e) => t - e.time < EXPLAIN_WINDOW_MS);
    if (paths.length) this.recent.push({ time: t, paths });
  }

  explains(path: string): boolean {
    const t = this.now();
    return this.recent.some((e) => t - e.time < EXPLAIN_WINDOW_MS && e.paths.some((p) => p === '/' || path === p || path.startsWith(p + sep)));
  }

  /** The losses nothing explains. */
  unexplained(losses: Loss[]): Loss[] {
    return losses.filter((l) => !this.explains(l.path));
  }
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "db/ — 12 files, 3.4 MB — deleted by something that did not ask the gate". */
export function describeLoss(losses: Loss[]): string {
  const rels = losses.map((l) => l.rel);
  const first = rels[0].split('/');
  let common = first.slice(0, -1);
  for (const r of rels) {
    const parts = r.split('/').slice(0, -1);
    let i = 0;
    while (i < common.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  const where = losses.length === 1 ? rels[0] : common.length ? common.join('/') + '/' : 'the folder';
  const size = losses.reduce((n, l) => n + l.size, 0);
  const deleted = losses.filter((l) => l.kind === 'deleted').length;
  const what = deleted === losses.length ? 'deleted' : deleted ? 'deleted or emptied' : 'emptied';
  return `${where} — ${losses.length} file${losses.length === 1 ? '' : 's'}, ${formatBytes(size)} — ${what} by something that did not ask the gate`;
}
