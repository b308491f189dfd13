// Reading and writing the agents' hook files, and planning one agent's change: what `agent-guard install-hooks`
// and the editor's "Connect agents…" both do.

import { mkdirSync, readFileSync, realpathSync, statSync, unlinkSync } from 'node:fs';
import { replaceFile } from '../replaceFile';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { stateDir } from '../paths';
import type { AgentId } from './ids';
import { launcherPath, writeLauncher } from './launcher';
import { windowsCmdExe } from './launcherWindows';
import { hookCommand, hookFilePath, planInstall, planRemove, type HookEdit, type HookProgram, type HookScope } from './hookConfig';

export function readHookFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Writes whole or not at all (a temp file renamed over it), keeping the file's mode; null removes the file. */
export function writeHookFile(path: string, text: string | null): void {
  if (text === null) {
    try {
      unlinkSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  let mode = 0o600;
  try {
    mode = statSync(path).mode & 0o777;
  } catch {
    /* a new file: owner-only, like the rest of the person's agent settings */
  }
  replaceFile(path, text, mode);
}

/** This CLI, as the hooks will run it: the running Node and the real path of the script (not an npm bin link). */
export function currentProgram(): HookProgram {
  const script = process.argv[1] ? resolve(process.argv[1]) : __filename;
  let cli = script;
  try {
    cli = realpathSync(script);
  } catch {
    /* keep the path as given */
  }
  return withLauncher({ node: process.execPath, cli, electron: !!process.versions.electron });
}

/** The program with the stable launcher in front of it (on Windows a .cmd file that cmd.exe starts). */
export function withLauncher(program: HookProgram, dir = stateDir(), platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): HookProgram {
  const launcher = launcherPath(dir, platform);
  return platform === 'win32' ? { ...program, launcher, windows: { cmdExe: windowsCmdExe(env) } } : { ...program, launcher };
}

export interface InstallDeps {
  home: string;
  env: NodeJS.ProcessEnv;
  program: HookProgram;
  read(path: string): string | null;
  write(path: string, text: string | null): void;
  /** Writes the launcher the hook command runs (when the program has one). */
  writeLauncher?(program: HookProgram): void;
}

export function defaultInstallDeps(env: NodeJS.ProcessEnv = process.env): InstallDeps {
  return { home: homedir(), env, program: currentProgram(), read: readHookFile, write: writeHookFile, writeLauncher: (program) => writeLauncher(stateDir(env), program) };
}

/** The change for one agent, for one scope: what `install-hooks` prints and the VS Code command previews. */
export function planHookChange(agent: AgentId, scope: HookScope, remove: boolean, program: HookProgram, read: (path: string) => string | null): HookEdit {
  const path = hookFilePath(agent, scope);
  let before: string | null;
  try {
    before = read(path);
  } catch (e) {
    return { agent, path, before: null, after: null, changed: false, problem: `cannot read ${path} (${(e as Error).message})` };
  }
  if (remove) return planRemove(agent, path, before);
  let command: string;
  try {
    command = hookCommand(agent, program);
  } catch (e) {
    return { agent, path, before, after: before, changed: false, problem: (e as Error).message };
  }
  return planInstall(agent, path, before, command, !!program.windows);
}

