// A continuous local history of workspace folders, kept outside them: every file's versions, content-addressed,
// deduplicated (one object per distinct content, shared by every folder) and brotli-compressed (quality 5). Whatever deletes or
// empties a file — a command the gate never saw, an interpreter, an agent's own file tool — its last version is here.
//
// Layout under the root (owner-only, 0700/0600):
//   objects/ab/cdef…   brotli of the content whose sha256 is abcdef…
//   folders/<key>/folder.json   { path }
//   folders/<key>/log.jsonl     one line per change: {t, p, h, s, m, mt} (a version) or {t, p, gone: 1} (deleted)
// Node only, no `vscode`.

import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { replaceFile } from '../../core/replaceFile';
import { dirname, join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, constants as Z } from 'node:zlib';
import { FolderHistory } from './folder';
import { DEFAULT_HISTORY_LIMITS, MB, type HistoryLimits } from './types';

export * from './types';
export { FolderHistory } from './folder';

function folderKey(path: string): string {
  return createHash('sha256').update(path).digest('hex').slice(0, 16);
}

/** The store for every folder: shared objects, one log per folder. */
export class HistoryRoot {
  private readonly folders = new Map<string, FolderHistory>();
  private objectBytes = -1;

  constructor(
    readonly dir: string,
    readonly limits: () => Readonly<HistoryLimits> = () => DEFAULT_HISTORY_LIMITS,
    readonly now: () => number = Date.now,
  ) {}

  ensureDir(): void {
    for (const d of [this.dir, join(this.dir, 'objects'), join(this.dir, 'folders')]) {
      mkdirSync(d, { recursive: true, mode: 0o700 });
      chmodSync(d, 0o700);
    }
  }

  /** The history of one folder (absolute path), created on first use. */
  folder(path: string): FolderHistory {
    let f = this.folders.get(path);
    if (!f) {
      this.ensureDir();
      f = new FolderHistory(this, path, join(this.dir, 'folders', folderKey(path)));
      this.folders.set(path, f);
    }
    return f;
  }

  /** Every folder with a history here, open or not. */
  knownFolders(): string[] {
    const dir = join(this.dir, 'folders');
    if (!existsSync(dir)) return [];
    const out: string[] = [];
    for (const k of readdirSync(dir)) {
      try {
        out.push((JSON.parse(readFileSync(join(dir, k, 'folder.json'), 'utf8')) as { path: string }).path);
      } catch {
        // A folder without its description is skipped, not fatal.
      }
    }
    return out.sort();
  }

  objectPath(hash: string): string {
    return join(this.dir, 'objects', hash.slice(0, 2), hash.slice(2));
  }

  hasObject(hash: string): boolean {
    return existsSync(this.objectPath(hash));
  }

  /** Stores content under its hash (once); returns the bytes it added. */
  putObject(hash: string, content: Buffer): number {
    const path = this.objectPath(hash);
    if (existsSync(path)) return 0;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const packed = brotliCompressSync(content, { params: { [Z.BROTLI_PARAM_QUALITY]: 5, [Z.BROTLI_PARAM_SIZE_HINT]: content.length } });
    replaceFile(path, packed, 0o600);
    if (this.objectBytes >= 0) this.objectBytes += packed.length;
    return packed.length;
  }

  readObject(hash: string): Buffer {
    const content = brotliDecompressSync(readFileSync(this.objectPath(hash)));
    const check = createHash('sha256').update(content).digest('hex');
    if (check !== hash) throw new Error(`stored copy of ${hash.slice(0, 12)} is damaged`);
    return content;
  }

  /** Bytes the objects take on disk (walks them once, then keeps count). */
  storedBytes(): number {
    if (this.objectBytes < 0) {
      let n = 0;
      for (const { size } of this.objects()) n += size;
      this.objectBytes = n;
    }
    return this.objectBytes;
  }

  private *objects(): Generator<{ hash: string; size: number; path: string }> {
    const dir = join(this.dir, 'objects');
    if (!existsSync(dir)) return;
    for (const a of readdirSync(dir)) {
      for (const b of readdirSync(join(dir, a))) {
        if (b.endsWith('.tmp')) continue;
        const path = join(dir, a, b);
        yield { hash: a + b, size: statSync(path).size, path };
      }
    }
  }

  /**
   * Drops superseded versions and deleted files older than `keepDays`, then the oldest superseded versions until the
   * objects fit `maxStoreBytes`, then objects nothing refers to. The current version of a present file is never dropped.
   */
  prune(): { records: number; objects: number; bytes: number } {
    const { keepDays, maxStoreBytes } = this.limits();
    const cutoff = this.now() - keepDays * 86_400_000;
    const all = this.knownFolders().map((p) => this.folder(p));
    let records = 0;
    for (const f of all) records += f.dropOlderThan(cutoff);
    const sizes = new Map<string, number>();
    for (const o of this.objects()) sizes.set(o.hash, o.size);
    const referenced = () => {
      const used = new Set<string>();
      for (const f of all) for (const h of f.hashes()) used.add(h);
      return used;
    };
    let used = referenced();
    let total = 0;
    for (const h of used) total += sizes.get(h) ?? 0;
    if (total > maxStoreBytes) {
      // Oldest superseded versions first, across folders.
      const candidates = all.flatMap((f) => f.superseded().map((r) => ({ f, r }))).sort((a, b) => a.r.t - b.r.t);
      for (const { f, r } of candidates) {
        if (total <= maxStoreBytes) break;
        f.dropRecord(r);
        records++;
        used = referenced();
        total = 0;
        for (const h of used) total += sizes.get(h) ?? 0;
      }
    }
    for (const f of all) f.rewriteLog();
    let objects = 0;
    let bytes = 0;
    for (const [hash, size] of sizes) {
      if (used.has(hash)) continue;
      try {
        unlinkSync(this.objectPath(hash));
        objects++;
        bytes += size;
      } catch {
        // Gone already.
      }
    }
    this.objectBytes = -1;
    return { records, objects, bytes };
  }

  /** One line on what the store holds. */
  status(): string {
    const folders = this.knownFolders();
    let files = 0;
    let versions = 0;
    let logical = 0;
    for (const p of folders) {
      const f = this.folder(p);
      for (const r of f.current()) {
        files++;
        logical += r.s ?? 0;
      }
      versions += f.versionCount();
    }
    const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
    return `History: ${files} files in ${folders.length} folder${folders.length === 1 ? '' : 's'} (${mb(logical)}), ${versions} versions in ${mb(this.storedBytes())} at ${this.dir}`;
  }
}

