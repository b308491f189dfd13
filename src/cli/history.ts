// `agent-guard history list|show|restore|capture|status`: the local history from a shell (the editor's, through the
// pointer it leaves in the state dir, or the CLI's own under the state dir).

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stateDir } from '../core/paths';
import { HistoryRoot } from '../gate/history/store';
import { PreimageStore } from '../gate/preimage';
import type { Io } from './main';
import { UsageError } from './main';


/** The editor's history when it left a pointer, else the CLI's own; AGENT_GUARD_HISTORY_DIR overrides both. */
export function historyDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AGENT_GUARD_HISTORY_DIR) return env.AGENT_GUARD_HISTORY_DIR;
  const pointer = join(stateDir(env), 'history-location');
  if (existsSync(pointer)) {
    const dir = readFileSync(pointer, 'utf8').trim();
    if (dir) return dir;
  }
  return join(stateDir(env), 'history');
}

function folderOf(root: HistoryRoot, path: string): string {
  const folders = root.knownFolders().filter((f) => path === f || path.startsWith(f + '/'));
  if (!folders.length) throw new UsageError(`${path} is in no folder the history knows (${root.knownFolders().join(', ') || 'none yet'}); run agent-guard history capture DIR first`);
  return folders.sort((a, b) => b.length - a.length)[0];
}

export async function historyCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const root = new HistoryRoot(historyDir());
  const flags = new Set(rest.filter((a) => a.startsWith('--') && !a.startsWith('--at')));
  let at: number | undefined;
  const atIndex = rest.findIndex((a) => a === '--at' || a.startsWith('--at='));
  if (atIndex >= 0) {
    const v = rest[atIndex].includes('=') ? rest[atIndex].slice(5) : rest[atIndex + 1];
    at = Date.parse(v ?? '');
    if (Number.isNaN(at)) throw new UsageError(`--at takes a time like 2026-12-04T03:00:00Z; got ${JSON.stringify(v)}`);
  }
  const positional = rest.filter((a, i) => !a.startsWith('--') && !(atIndex >= 0 && i === atIndex + 1 && !rest[atIndex].includes('=')));
  for (const f of flags) if (!['--deleted', '--overwrite', '--json'].includes(f)) throw new UsageError(`unknown option ${f}`);
  const out = (s: string) => io.stdout.write(s + '\n');
  switch (sub) {
    case 'status':
      out(root.status());
      return 0;
    case 'capture': {
      const dir = resolve(positional[0] ?? process.cwd());
      const r = await root.folder(dir).scan({ sliceMs: 1e9, pauseMs: 0 });
      out(`captured ${dir}: ${r.changed} new versions, ${r.unchanged} unchanged, ${r.skipped} skipped, ${r.lost.length} gone, in ${Math.round(r.ms)} ms`);
      return 0;
    }
    case 'list': {
      const dirs = positional.length ? [folderOf(root, resolve(positional[0]))] : root.knownFolders();
      for (const d of dirs) {
        const h = root.folder(d);
        if (flags.has('--deleted')) {
          for (const l of h.deleted()) out(`${new Date(l.time).toISOString()}  deleted  ${String(l.size).padStart(10)}  ${l.path}`);
        } else {
          let files = 0;
          let bytes = 0;
          for (const r of h.current()) (files++, (bytes += r.s ?? 0));
          out(`${d}: ${files} files (${bytes} bytes), ${h.deleted().length} deleted, ${h.versionCount()} versions`);
        }
      }
      return 0;
    }
    case 'show': {
      if (!positional[0]) throw new UsageError('history show needs a file');
      const path = resolve(positional[0]);
      const folder = folderOf(root, path);
      const rel = path.slice(folder.length + 1);
      const versions = root.folder(folder).versions(rel);
      if (!versions.length) throw new UsageError(`no history for ${path}`);
      for (const v of versions) out(v.gone ? `${new Date(v.t).toISOString()}  deleted` : `${new Date(v.t).toISOString()}  ${String(v.s).padStart(10)}  ${(v.m ?? 0).toString(8)}  ${v.h}`);
      return 0;
    }
    case 'restore': {
      if (!positional[0]) throw new UsageError('history restore needs a file or folder');
      const path = resolve(positional[0]);
      const folder = folderOf(root, path);
      const h = root.folder(folder);
      const rel = path === folder ? '' : path.slice(folder.length + 1);
      const all = new Set<string>([...h.current()].map((r) => r.p).concat(h.deleted().map((l) => l.rel)));
      const rels = [...all].filter((p) => !rel || p === rel || p.startsWith(rel + '/'));
      const items = rels.flatMap((p) => {
        const version = h.versionAt(p, at);
        // At a time: only files that existed then (not deleted at that moment).
        const last = at === undefined ? h.latest(p) : h.versions(p).find((r) => r.t <= at!);
        if (!version || (at !== undefined && last?.gone)) return [];
        return [{ rel: p, version }];
      });
      if (!items.length) throw new UsageError(`nothing in the history for ${path}${at ? ` at ${new Date(at).toISOString()}` : ''}`);
      const results = h.restore(items, { overwrite: flags.has('--overwrite') });
      const count = (o: string) => results.filter((r) => r.outcome === o).length;
      for (const r of results) if (r.outcome === 'failed' || r.outcome === 'exists') io.stderr.write(`${r.path}: ${r.outcome === 'exists' ? 'exists with other content (kept; --overwrite replaces it)' : `failed: ${r.error}`}\n`);
      out(`${count('restored')} restored, ${count('identical')} already identical, ${count('exists')} kept, ${count('failed')} failed`);
      return count('failed') ? 1 : count('exists') ? 3 : 0;
    }
    case 'preimages': {
      for (const m of new PreimageStore(join(root.dir, 'preimages')).list()) {
        out(`${m.id}  ${m.engine}  ${m.engine === 'sqlite' ? m.file : m.whole ? `database ${m.database}` : `${m.tables.join(',')} in ${m.database ?? '(default)'}`}  ${m.bytes} bytes  before: ${m.command}`);
      }
      return 0;
    }
    case 'restore-preimage': {
      if (!positional[0]) throw new UsageError('history restore-preimage needs an id from agent-guard history preimages');
      const r = await new PreimageStore(join(root.dir, 'preimages')).restore(positional[0], { overwrite: flags.has('--overwrite') });
      (r.ok ? io.stdout : io.stderr).write(r.message + '\n');
      return r.ok ? 0 : 1;
    }
    default:
      throw new UsageError(`history takes status, list, show, restore, capture, preimages or restore-preimage; got ${sub === undefined ? 'nothing' : JSON.stringify(sub)}`);
  }
}
