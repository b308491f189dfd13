// Where each agent keeps its transcripts, and which of them belong to the open workspace folders.

import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { claudeProjectDirName } from './claude';
import { isRecord, parseObject, str } from './meter';
import { readFirstLine } from './tail';

export type TranscriptKind = 'claude' | 'codex' | 'copilot' | 'gemini' | 'copilot-cli';

export interface TranscriptFile {
  kind: TranscriptKind;
  path: string;
  /** The session id the file name gives (the records may name it too). */
  id: string;
  mtimeMs: number;
  size: number;
  /** Known before reading, e.g. Copilot's workspace or a Codex header's cwd. */
  cwd?: string;
}

export function claudeProjectsDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return join(env.CLAUDE_CONFIG_DIR || join(home, '.claude'), 'projects');
}

export function codexSessionsDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return join(env.CODEX_HOME || join(home, '.codex'), 'sessions');
}

/** Gemini CLI's per-project folders, each with a `.project_root` file and a `chats/` folder. */
export function geminiTmpDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return join(env.GEMINI_CLI_HOME || home, '.gemini', 'tmp');
}

/** Copilot CLI's sessions, one folder each with events.jsonl and workspace.yaml. */
export function copilotCliStateDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return join(env.COPILOT_HOME || join(home, '.copilot'), 'session-state');
}

/** True when `path` is `root` or inside it. */
export function isWithin(path: string, root: string): boolean {
  const r = root.replace(/[\\/]+$/, '');
  return path === r || path.startsWith(r + '/') || path.startsWith(r + '\\');
}

async function listFiles(dir: string, ext: string[]): Promise<{ path: string; mtimeMs: number; size: number }[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: { path: string; mtimeMs: number; size: number }[] = [];
  for (const name of names) {
    if (!ext.some((e) => name.endsWith(e))) continue;
    const path = join(dir, name);
    try {
      const s = await stat(path);
      if (s.isFile()) out.push({ path, mtimeMs: s.mtimeMs, size: s.size });
    } catch {
      // vanished between readdir and stat
    }
  }
  return out;
}

const stem = (p: string): string => basename(p).replace(/\.(jsonl|json)$/, '');

/**
 * Claude project folders that may hold sessions run in one of `folders` or below. Claude Code flattens the path into
 * the folder name, so a prefix match can also catch a sibling (/a/b-c for /a/b); the records' cwd settles it.
 */
export async function claudeProjectDirs(projectsDir: string, folders: readonly string[]): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(projectsDir);
  } catch {
    return [];
  }
  const prefixes = folders.map(claudeProjectDirName);
  return names.filter((n) => prefixes.some((p) => n === p || n.startsWith(p + '-'))).map((n) => join(projectsDir, n));
}

export async function claudeTranscripts(projectsDir: string, folders: readonly string[], since: number): Promise<TranscriptFile[]> {
  const out: TranscriptFile[] = [];
  for (const dir of await claudeProjectDirs(projectsDir, folders)) {
    for (const f of await listFiles(dir, ['.jsonl'])) if (f.mtimeMs >= since) out.push({ kind: 'claude', id: stem(f.path), ...f });
  }
  return out;
}

/** The day folders (YYYY/MM/DD) Codex may have written to in the last `days` days, in local time and UTC. */
export function codexDayDirs(sessionsDir: string, now: number, days: number): string[] {
  const dirs = new Set<string>();
  const pad = (n: number): string => String(n).padStart(2, '0');
  for (let d = 0; d <= days; d++) {
    const t = new Date(now - d * 86_400_000);
    dirs.add(join(sessionsDir, String(t.getFullYear()), pad(t.getMonth() + 1), pad(t.getDate())));
    dirs.add(join(sessionsDir, String(t.getUTCFullYear()), pad(t.getUTCMonth() + 1), pad(t.getUTCDate())));
  }
  return [...dirs];
}

/** The cwd a Codex rollout's first line (session_meta) names. */
export async function codexSessionCwd(path: string): Promise<string | undefined> {
  const first = await readFirstLine(path);
  const rec = first ? parseObject(first) : undefined;
  if (!rec) return undefined;
  const payload = isRecord(rec.payload) ? rec.payload : rec;
  return str(payload.cwd);
}

/** Codex rollouts changed since `since` whose session ran in one of `folders`. Sessions are global, so filter by cwd. */
export async function codexTranscripts(sessionsDir: string, folders: readonly string[], since: number, now: number, days = 2, cwdCache?: Map<string, string | null>): Promise<TranscriptFile[]> {
  const out: TranscriptFile[] = [];
  for (const dir of codexDayDirs(sessionsDir, now, days)) {
    for (const f of await listFiles(dir, ['.jsonl'])) {
      if (f.mtimeMs < since) continue;
      let cwd = cwdCache?.get(f.path);
      if (cwd === undefined) {
        cwd = (await codexSessionCwd(f.path)) ?? null;
        cwdCache?.set(f.path, cwd);
      }
      if (cwd === null || !folders.some((root) => isWithin(cwd as string, root))) continue;
      const id = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(basename(f.path))?.[1] ?? stem(f.path);
      out.push({ kind: 'codex', id, cwd, ...f });
    }
  }
  return out;
}

/** Copilot Chat sessions of one workspace: <workspaceStorage>/<hash>/chatSessions/*.jsonl|json. */
export async function copilotTranscripts(chatSessionsDir: string, workspace: string | undefined, since: number): Promise<TranscriptFile[]> {
  const files = await listFiles(chatSessionsDir, ['.jsonl', '.json']);
  // A session migrated to .jsonl may leave its .json behind: keep the .jsonl.
  const jsonl = new Set(files.filter((f) => f.path.endsWith('.jsonl')).map((f) => stem(f.path)));
  return files
    .filter((f) => f.mtimeMs >= since && (f.path.endsWith('.jsonl') || !jsonl.has(stem(f.path))))
    .map((f) => ({ kind: 'copilot' as const, id: stem(f.path), cwd: workspace, ...f }));
}

async function readSmall(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return s.size <= 64 * 1024 ? await readFile(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** Gemini CLI chats of projects in one of `folders`: <tmp>/<project>/chats/*.jsonl, the project named by .project_root. */
export async function geminiTranscripts(tmpDir: string, folders: readonly string[], since: number): Promise<TranscriptFile[]> {
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return [];
  }
  const out: TranscriptFile[] = [];
  for (const name of names) {
    const root = (await readSmall(join(tmpDir, name, '.project_root')))?.trim();
    if (!root || !folders.some((f) => isWithin(root, f))) continue;
    for (const f of await listFiles(join(tmpDir, name, 'chats'), ['.jsonl'])) {
      if (f.mtimeMs < since) continue;
      const id = /([0-9a-f]{8})\.jsonl$/i.exec(f.path)?.[1] ?? stem(f.path);
      out.push({ kind: 'gemini', id, cwd: root, ...f });
    }
  }
  return out;
}

/** Copilot CLI sessions run in one of `folders`: <session-state>/<id>/events.jsonl, the cwd from workspace.yaml. */
export async function copilotCliTranscripts(stateDir: string, folders: readonly string[], since: number, cwdCache?: Map<string, string | null>): Promise<TranscriptFile[]> {
  let names: string[];
  try {
    names = await readdir(stateDir);
  } catch {
    return [];
  }
  const out: TranscriptFile[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const events = join(stateDir, name, 'events.jsonl');
    let s;
    try {
      s = await stat(events);
    } catch {
      continue;
    }
    if (!s.isFile() || s.mtimeMs < since) continue;
    let cwd = cwdCache?.get(events);
    if (cwd === undefined) {
      const yaml = await readSmall(join(stateDir, name, 'workspace.yaml'));
      cwd = /^cwd:\s*(.+)$/m.exec(yaml ?? '')?.[1].trim().replace(/^["']|["']$/g, '') ?? null;
      if (cwd === null) {
        const first = await readFirstLine(events);
        const rec = first ? parseObject(first) : undefined;
        const data = rec && isRecord(rec.data) ? rec.data : undefined;
        cwd = (data && isRecord(data.context) ? str(data.context.cwd) : undefined) ?? null;
      }
      cwdCache?.set(events, cwd);
    }
    if (cwd === null || !folders.some((root) => isWithin(cwd as string, root))) continue;
    out.push({ kind: 'copilot-cli', id: name, cwd, path: events, mtimeMs: s.mtimeMs, size: s.size });
  }
  return out;
}
