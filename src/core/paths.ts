// Where Agent Guard keeps its own state: outside every workspace, so an agent editing the project cannot reach it.

import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';

export function stateDir(env: NodeJS.ProcessEnv = process.env, home = homedir(), platform = process.platform): string {
  if (env.AGENT_GUARD_STATE_DIR) return env.AGENT_GUARD_STATE_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'agent-guard');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'agent-guard');
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'agent-guard');
}

export function auditLogPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(stateDir(env), 'audit.jsonl');
}

/** Whether `path` is `folder` or inside it. */
export function isWithin(folder: string, path: string): boolean {
  const r = relative(folder, path);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}
