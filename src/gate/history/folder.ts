// One workspace folder's history (see store.ts for the layout): its log in memory, capture, loss and restore.

import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { replaceFile } from '../../core/replaceFile';
import { dirname, join, relative, sep } from 'node:path';
import type { HistoryRoot } from './store';
import { type CaptureResult, type HistoryRecord, type Loss, type RestoreItem } from './types';

const toRel = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

/** One folder's history: its log in memory (every version of every path), and capture, loss and restore. */
export class FolderHistory {
  /** Every record for each path, oldest first. */
  private readonly byPath = new Map<string, HistoryRecord[]>();
  private readonly logPath: string;
  private loaded = false;
  private baselineDone = false;
  /** Paths (absolute) changed since the last capture, from file events. */
  private readonly dirty = new Set<string>();

  constructor(
    readonly root: HistoryRoot,
    readonly path: string,
    readonly dir: string,
  ) {
    this.logPath = join(dir, 'log.jsonl');
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const meta = join(this.dir, 'folder.json');
    if (!existsSync(meta)) writeFileSync(meta, JSON.stringify({ path: this.path }) + '\n', { mode: 0o600 });
    if (!existsSync(this.logPath)) return;
    const text = readFileSync(this.logPath, 'utf8');
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        this.push(JSON.parse(line) as HistoryRecord);
      } catch {
        // A torn last line (killed mid-append) is skipped; the rest stands.
      }
    }
  }

  private push(r: HistoryRecord): void {
    if (typeof r.p !== 'string' || typeof r.t !== 'number') return;
    const list = this.byPath.get(r.p);
    if (list) list.push(r);
    else this.byPath.set(r.p, [r]);
  }

  private append(records: HistoryRecord[]): void {
    if (!records.length) return;
    appendFileSync(this.logPath, records.map((r) => JSON.stringify(r)).join('\n') + '\n', { mode: 0o600 });
    for (const r of records) this.push(r);
  }

  latest(rel: string): HistoryRecord | undefined {
    this.load();
    const list = this.byPath.get(rel);
    return list?.[list.length - 1];
  }

  /** Every version of one path, newest first. */
  versions(rel: string): HistoryRecord[] {
    this.load();
    return [...(this.byPath.get(rel) ?? [])].reverse();
  }

  /** The latest record of every present file. */
  *current(): Generator<HistoryRecord> {
    this.load();
    for (const list of this.byPath.values()) {
      const r = list[list.length - 1];
      if (!r.gone) yield r;
    }
  }

  versionCount(): number {
    this.load();
    let n = 0;
    for (const list of this.byPath.values()) n += list.filter((r) => !r.gone).length;
    return n;
  }

  hashes(): Set<string> {
    this.load();
    const out = new Set<string>();
    for (const list of this.byPath.values()) for (const r of list) if (r.h) out.add(r.h);
    return out;
  }

  /** Versions that are not the current one of a present file (what pruning may drop). */
  superseded(): HistoryRecord[] {
    this.load();
    const out: HistoryRecord[] = [];
    for (const list of this.byPath.values()) {
      const last = list[list.length - 1];
      for (const r of list) if (r.h && (r !== last || last.gone)) out.push(r);
    }
    return out;
  }

  dropRecord(r: HistoryRecord): void {
    const list = this.byPath.get(r.p);
    if (!list) return;
    const i = list.indexOf(r);
    if (i >= 0) list.splice(i, 1);
    if (!list.length || list.every((x) => x.gone)) this.byPath.delete(r.p);
  }

  /** Drops what is older than `cutoff` and not the current version of a present file. */
  dropOlderThan(cutoff: number): number {
    this.load();
    let n = 0;
    for (const [p, list] of this.byPath) {
      const last = list[list.length - 1];
      if (last.gone && last.t < cutoff) {
        n += list.length;
        this.byPath.delete(p);
        continue;
      }
      const keep = list.filter((r) => r === last || r.t >= cutoff);
      n += list.length - keep.length;
      this.byPath.set(p, keep);
    }
    return n;
  }

  rewriteLog(): void {
    this.load();
    const lines: string[] = [];
    for (const list of this.byPath.values()) for (const r of list) lines.push(JSON.stringify(r));
    lines.sort((a, b) => (JSON.parse(a) as HistoryRecord).t - (JSON.parse(b) as HistoryRecord).t);
    replaceFile(this.logPath, lines.length ? lines.join('\n') + '\n' : '', 0o600, { fsync: true });
  }

  get hasBaseline(): boolean {
    return this.baselineDone;
  }

  /** Whether a path (absolute) is captured: inside the folder, not under an excluded name. */
  covers(abs: string): boolean {
    const rel = relative(this.path, abs);
    if (!rel || rel.startsWith('..') || rel.startsWith(sep)) return false;
    const ex = this.root.limits().exclude;
    return !rel.split(sep).some((part) => ex.includes(part));
  }

  /** A file event: the path is captured at the next `captureDirty`. */
  markDirty(abs: string): void {
    if (this.covers(abs)) this.dirty.add(abs);
  }

  get dirtyCount(): number {
    return this.dirty.size;
  }

  /** Captures one file (or notes it gone); pushes records and losses. */
  private captureOne(abs: string, out: HistoryRecord[], lost: Loss[], t: number): 'changed' | 'unchanged' | 'skipped' {
    const rel = toRel(relative(this.path, abs));
    const prev = this.latest(rel);
    let st;
    try {
      st = lstatSync(abs);
    } catch {
      if (prev && !prev.gone) {
        out.push({ t, p: rel, gone: 1 });
        lost.push({ path: abs, rel, kind: 'deleted', size: prev.s ?? 0, version: prev, time: t });
        return 'changed';
      }
      return 'unchanged';
    }
    if (!st.isFile()) return 'skipped';
    const mode = st.mode & 0o7777;
    if (prev && !prev.gone && prev.s === st.size && prev.mt === st.mtimeMs && prev.m === mode) return 'unchanged';
    if (st.size > this.root.limits().maxFileBytes) return 'skipped';
    let content: Buffer;
    try {
      content = readFileSync(abs);
    } catch {
      return 'skipped';
    }
    const h = createHash('sha256').update(content).digest('hex');
    this.root.putObject(h, content);
    out.push({ t, p: rel, h, s: content.length, m: mode, mt: st.mtimeMs });
    if (prev && !prev.gone && (prev.s ?? 0) > 0 && content.length === 0) lost.push({ path: abs, rel, kind: 'truncated', size: prev.s ?? 0, version: prev, time: t });
    return 'changed';
  }

  /** Captures what file events marked (and, for a deleted folder, every file known under it). Fast when nothing did. */
  captureDirty(): CaptureResult {
    const start = performance.now();
    const res: CaptureResult = { changed: 0, unchanged: 0, skipped: 0, lost: [], ms: 0 };
    if (!this.dirty.size) return res;
    this.load();
    const t = this.root.now();
    const out: HistoryRecord[] = [];
    const paths = [...this.dirty];
    this.dirty.clear();
    const seen = new Set<string>();
    for (const abs of paths) {
      let st;
      try {
        st = lstatSync(abs);
      } catch {
        st = undefined;
      }
      // A folder that went or came: its known files and its present files.
      let targets = [abs];
      if (!st?.isFile()) {
        const rel = toRel(relative(this.path, abs));
        const under = [...this.byPath.keys()].filter((p) => p.startsWith(rel + '/')).map((p) => join(this.path, p));
        targets = st?.isDirectory() ? [...under, ...this.listFiles(abs)] : [abs, ...under];
      }
      for (const a of targets) {
        if (seen.has(a)) continue;
        seen.add(a);
        res[this.captureOne(a, out, res.lost, t)]++;
      }
    }
    this.append(out);
    res.ms = performance.now() - start;
    return res;
  }

  private listFiles(dir: string): string[] {
    const out: string[] = [];
    const ex = this.root.limits().exclude;
    const walk = (d: string) => {
      let ents;
      try {
        ents = readdirSync(d, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of ents) {
        if (ex.includes(e.name)) continue;
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) out.push(p);
      }
    };
    walk(dir);
    return out;
  }

  /**
   * Walks the whole folder: captures new and changed files, notes vanished ones. Yields to the event loop every
   * `sliceMs` of work and sleeps `pauseMs` between slices, so a big folder never blocks the window.
   */
  async scan(opts: { sliceMs?: number; pauseMs?: number; cancelled?: () => boolean } = {}): Promise<CaptureResult> {
    const start = performance.now();
    const sliceMs = opts.sliceMs ?? 25;
    const pauseMs = opts.pauseMs ?? 25;
    this.load();
    const res: CaptureResult = { changed: 0, unchanged: 0, skipped: 0, lost: [], ms: 0 };
    const t = this.root.now();
    const seen = new Set<string>();
    const out: HistoryRecord[] = [];
    const ex = this.root.limits().exclude;
    const stack = [this.path];
    let sliceStart = performance.now();
    while (stack.length) {
      if (opts.cancelled?.()) return res;
      const d = stack.pop()!;
      let ents;
      try {
        ents = readdirSync(d, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of ents) {
        if (ex.includes(e.name)) continue;
        const p = join(d, e.name);
        if (e.isDirectory()) stack.push(p);
        else if (e.isFile()) {
          seen.add(toRel(relative(this.path, p)));
          res[this.captureOne(p, out, res.lost, t)]++;
        }
      }
      if (performance.now() - sliceStart > sliceMs) {
        this.append(out.splice(0));
        await new Promise((r) => setTimeout(r, pauseMs));
        sliceStart = performance.now();
      }
    }
    // Files known and not seen: gone while nobody watched.
    for (const r of [...this.current()]) {
      if (seen.has(r.p) || !this.covers(join(this.path, r.p))) continue;
      res[this.captureOne(join(this.path, r.p), out, res.lost, t)]++;
    }
    this.append(out);
    this.baselineDone = true;
    res.ms = performance.now() - start;
    return res;
  }

  /** Files whose latest record says deleted, with the version they had, newest deletions first. */
  deleted(opts: { since?: number; under?: string } = {}): Loss[] {
    this.load();
    const out: Loss[] = [];
    for (const [p, list] of this.byPath) {
      const last = list[list.length - 1];
      if (!last.gone || (opts.since && last.t < opts.since)) continue;
      if (opts.under && !(p === opts.under || p.startsWith(opts.under.replace(/\/$/, '') + '/'))) continue;
      const version = [...list].reverse().find((r) => r.h);
      if (version) out.push({ path: join(this.path, p), rel: p, kind: 'deleted', size: version.s ?? 0, version, time: last.t });
    }
    return out.sort((a, b) => b.time - a.time);
  }

  /** The version of `rel` current at time `at` (ms), or the latest with content. */
  versionAt(rel: string, at?: number): HistoryRecord | undefined {
    const list = this.versions(rel).filter((r) => r.h);
    return at === undefined ? list[0] : list.find((r) => r.t <= at);
  }

  /**
   * Writes versions back, byte-identical, with their modes and times. A file that exists with other content is left
   * alone unless `overwrite` (the caller asks the person first); its content is captured before it is replaced.
   */
  restore(items: { rel: string; version: HistoryRecord }[], opts: { overwrite?: boolean } = {}): RestoreItem[] {
    this.load();
    const results: RestoreItem[] = [];
    const before: HistoryRecord[] = [];
    for (const { rel, version } of items) {
      const path = join(this.path, ...rel.split('/'));
      try {
        if (!version.h) throw new Error('that record is a deletion, not a version');
        const content = this.root.readObject(version.h);
        if (existsSync(path)) {
          const now = readFileSync(path);
          if (now.equals(content)) {
            results.push({ path, outcome: 'identical' });
            continue;
          }
          if (!opts.overwrite) {
            results.push({ path, outcome: 'exists' });
            continue;
          }
          this.captureOne(path, before, [], this.root.now());
        }
        mkdirSync(dirname(path), { recursive: true });
        // In the workspace, where an agent writes: never through a link it planted at a temporary name.
        replaceFile(path, content, version.m ?? 0o644, version.mt !== undefined ? { mtime: new Date(version.mt) } : {});
        results.push({ path, outcome: 'restored' });
        this.dirty.add(path);
      } catch (e) {
        results.push({ path, outcome: 'failed', error: (e as Error).message });
      }
    }
    this.append(before);
    this.captureDirty();
    return results;
  }

  /** Removes this folder's history (not the objects other folders share; `prune` collects those). */
  forget(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.byPath.clear();
  }
}
