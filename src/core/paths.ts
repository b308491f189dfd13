// Where Agent Guard keeps its own state: outside every workspace, so an agent editing the project cannot reach it.

import { homedir } from 'node:os';
import * as nodePath from 'node:path';

type PathApi = Pick<typeof nodePath, 'join' | 'relative' | 'isAbsolute'>;

export function stateDir(env: NodeJS.ProcessEnv = process.env, home = homedir(), platform = process.platform): string {
  if (env.AGENT_GUARD_STATE_DIR) return env.AGENT_GUARD_STATE_DIR;
  // Windows paths joined with Windows rules whatever runs this (tests run it on Linux with path.win32's answers).
  const { join } = platform === 'win32' ? nodePath.win32 : nodePath.posix;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'agent-guard');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'agent-guard');
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'agent-guard');
}

export function auditLogPath(env: NodeJS.ProcessEnv = process.env, home = homedir(), platform = process.platform): string {
  return (platform === 'win32' ? nodePath.win32 : nodePath.posix).join(stateDir(env, home, platform), 'audit.jsonl');
}

/**
 * Whether `path` is `folder` or inside it. With Windows rules (path.win32, the default on Windows) drive letters
 * and case do not matter, `/` and `\` are one separator, and another drive or UNC share is outside.
 */
export function isWithin(folder: string, path: string, paths: PathApi = nodePath): boolean {
  const r = paths.relative(folder, path);
  return r === '' || (!(r === '..' || r.startsWith('..' + paths.join('a', 'b')[1])) && !paths.isAbsolute(r));
}
